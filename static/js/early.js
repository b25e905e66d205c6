// Loaded before the page is drawn: tells the style sheet that scripts run, so that the
// menu and the filters fold only when a script can unfold them.
document.documentElement.classList.add("js");
