"""The results' bar charts, written from Python: the figures in the reader's language,
labels escaped, the SVG's long labels shortened while the table keeps them whole."""

from django.utils import translation

from surveys.templatetags.charts import bar_chart

LONG = "Une réponse bien trop longue pour tenir à gauche des barres du graphique"


def test_bars_and_table_hold_the_same_figures_in_french_and_english():
    rows = [("Oui <b>", 1234, 33.3333), (LONG, 2, 66.6667)]
    with translation.override("fr"):
        html = str(bar_chart(rows, "Êtes-vous <i>satisfait</i> ?"))
    assert "Oui &lt;b&gt;" in html
    assert "<b>" not in html
    assert "&lt;i&gt;satisfait&lt;/i&gt;" in html  # the table's caption
    assert "1234 · 33 %" in html  # beside the bar: the count and the rounded percentage
    assert '<td class="text-end">33,3</td>' in html  # the table, with a French comma
    assert f'<th scope="row" class="fw-normal">{LONG}</th>' in html
    assert f">{LONG[:36]}…</text>" in html
    assert 'viewBox="0 0 600 56"' in html
    assert 'width="83.3"' in html  # a third of the 250 px the bars may take
    with translation.override("en"):
        english = str(bar_chart(rows, "Satisfied?"))
    assert '<td class="text-end">33.3</td>' in english
    assert "<summary>The figures as a table</summary>" in english


def test_no_rows_draw_nothing():
    assert bar_chart([], "Rien") == ""
