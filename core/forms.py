"""Form pieces every app uses: crispy-forms set up once, and plain-text validation."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

# A tag opening or closing, or an HTML comment: plain-text fields refuse them.
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>?")


def validate_no_html(value: str) -> None:
    if value and HTML_TAG.search(value):
        raise ValidationError(
            _("Les balises HTML ne sont pas acceptées dans ce champ."), code="html"
        )


class CrispyMixin:
    """crispy-forms set up once: templates write the <form> tag and the buttons."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class BaseForm(CrispyMixin, forms.Form):
    pass


class BaseModelForm(CrispyMixin, forms.ModelForm):
    pass


class PlainTextField(forms.CharField):
    """A one-line text field that strips spaces and refuses HTML."""

    default_validators = [validate_no_html]


class FrozenChoices(BaseChoiceIterator):
    """Choices that never change while a form lives (reference data): a form copies its
    fields deeply each time it is built, and copying a hundred choices on every page
    cost a millisecond; these are shared instead."""

    def __init__(self, choices) -> None:
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def __deepcopy__(self, memo):
        return self


class KeptMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice among rows the process keeps in memory (reference data), by one
    of their fields; cleaned into the rows, as ModelMultipleChoiceField would, without
    its two queries (the choices, then the chosen rows)."""

    def __init__(self, *, rows=(), to_field_name: str = "pk", **kwargs) -> None:
        # ``rows`` may be a function: a field built from a declaration reads them anew.
        rows = rows() if callable(rows) else rows
        self.rows = {str(getattr(row, to_field_name)): row for row in rows}
        choices = FrozenChoices((key, str(row)) for key, row in self.rows.items())
        kwargs.setdefault("choices", choices)
        super().__init__(**kwargs)

    def clean(self, value) -> list:
        return [self.rows[key] for key in super().clean(value)]
