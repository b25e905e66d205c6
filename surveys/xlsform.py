"""Surveys as XLSForm workbooks (the format of KoboToolbox and ODK): a survey is written
as its ``survey``, ``choices`` and ``settings`` sheets, and a workbook is read back as a
survey definition (the shape ``services.survey_load`` builds from).

What a workbook may hold is checked by pyxform, the XLSForm reference converter; what
the portal does not support (a photo, a location, a repeat…) is listed row by row, in
French. Mapping:

- a section is a ``begin_group`` with the ``field-list`` appearance (one page);
- a grid is a group with the ``table-list`` appearance, one ``select_one`` per row over
  the same list;
- a ranking is ``rank``; a scale is ``range`` (its end labels in ``scale_min_label``
  and ``scale_max_label``, columns XLSForm tools ignore);
- a yes/no question is a ``select_one`` over the ``yes``/``no`` list;
- an e-mail, a web address and the text formats are ``text`` with a ``regex``
  constraint; bounds and numbers of choices are constraints too;
- conditions are ``relevant`` expressions joined by ``and`` (all) or ``or`` (any).
"""

import re
from decimal import Decimal
from io import BytesIO

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform import xls2xform
from pyxform.errors import PyXFormError

from surveys.forms import TEXT_FORMATS
from surveys.models import ConditionMode, Question, Rule, Survey
from surveys.services import survey_load, survey_questions

MAX_BYTES = 2 * 1024 * 1024
SURVEY_COLUMNS = [
    "type", "name", "label", "hint", "required", "relevant", "constraint",
    "constraint_message", "appearance", "parameters", "scale_min_label", "scale_max_label",
]  # fmt: skip
YES_NO_LIST = "yes_no"
# The regular expressions of the kinds and formats that are texts in XLSForm.
PATTERNS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "url": r"^https?://\S+$",
    # The formats' own patterns, those the answering pages check.
    **{text_format: pattern for text_format, (pattern, _message) in TEXT_FORMATS.items()},
}
COMPARISONS = {
    Rule.Operator.EQ: "=", Rule.Operator.GT: ">", Rule.Operator.GTE: ">=",
    Rule.Operator.LT: "<", Rule.Operator.LTE: "<=",
}  # fmt: skip


class XLSFormError(Exception):
    """A workbook that cannot become a survey; ``errors`` lists why, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Reading a survey ------------------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def definition_of(survey: Survey) -> dict:
    """A survey as a definition: its fields, then its sections with their questions,
    choices, grid rows and conditions (each naming its source question by code and its
    choice by label)."""
    sections = list(survey.sections.all())
    questions = survey_questions(survey, sections)
    code_of = {question.pk: question.code for question in questions}
    label_of = {c.pk: c.label for question in questions for c in question.choices.all()}
    question_of_choice = {c.pk: q.code for q in questions for c in q.choices.all()}

    def rules(owner) -> list[dict]:
        found = []
        if getattr(owner, "condition_choice_id", None):
            found.append({
                "source": question_of_choice[owner.condition_choice_id],
                "operator": Rule.Operator.INCLUDES.value,
                "choice": label_of[owner.condition_choice_id], "number": None,
            })  # fmt: skip
        for rule in owner.rules.all():
            found.append({
                "source": code_of[rule.source_id], "operator": rule.operator,
                "choice": label_of.get(rule.choice_id), "number": _number(rule.number),
            })  # fmt: skip
        return found

    by_section: dict[int, list[Question]] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    data = {
        "slug": survey.slug, "title": survey.title, "audience": survey.audience,
        "intro": survey.intro, "thank_you": survey.thank_you, "sections": [],
    }  # fmt: skip
    for section in sections:
        data["sections"].append({
            "title": section.title, "description": section.description,
            "condition_mode": section.condition_mode, "rules": rules(section),
            "questions": [
                {
                    "code": q.code, "label": q.label, "kind": q.kind, "required": q.required,
                    "help_text": q.help_text, "allow_other": q.allow_other,
                    "min_choices": q.min_choices, "max_choices": q.max_choices,
                    # Each kind's own settings only: the others keep their defaults.
                    **({"scale_min": q.scale_min, "scale_max": q.scale_max}
                       if q.kind == Question.Kind.SCALE else {}),
                    "scale_min_label": q.scale_min_label, "scale_max_label": q.scale_max_label,
                    "number_min": _number(q.number_min), "number_max": _number(q.number_max),
                    "text_format": q.text_format,
                    "choices": [c.label for c in q.choices.all()],
                    "rows": [row.label for row in q.rows.all()],
                    "condition_mode": q.condition_mode, "rules": rules(q),
                }
                for q in by_section.get(section.pk, [])
            ],
        })  # fmt: skip
    return data


# --- Writing a workbook ----------------------------------------------------------------


def _list_name(question: dict) -> str:
    return YES_NO_LIST if question["kind"] == Question.Kind.YES_NO else question["code"]


def _relevant(rules: list[dict], mode: str, choice_names: dict) -> str:
    terms = []
    for rule in rules:
        source, op = "${" + rule["source"] + "}", rule["operator"]
        if op in (Rule.Operator.INCLUDES, Rule.Operator.EXCLUDES):
            name = choice_names[(rule["source"], rule["choice"])]
            term = f"selected({source}, '{name}')"
            terms.append(term if op == Rule.Operator.INCLUDES else f"not({term})")
        elif op in (Rule.Operator.YES, Rule.Operator.NO):
            terms.append(f"{source} = '{op}'")
        elif op == Rule.Operator.ANSWERED:
            terms.append(f"{source} != ''")
        else:
            terms.append(f"{source} {COMPARISONS[op]} {rule['number']}")
    return (" and " if mode == ConditionMode.ALL else " or ").join(terms)


def _constraint(question: dict) -> str:
    """The constraint of a question, for what the portal checks."""
    kind, parts = question["kind"], []
    pattern = PATTERNS.get(kind) or PATTERNS.get(question.get("text_format") or "")
    if pattern and kind in (Question.Kind.EMAIL, Question.Kind.URL, Question.Kind.SHORT_TEXT):
        parts.append(f"regex(., '{pattern}')")
    if kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        if question.get("number_min") is not None:
            parts.append(f". >= {question['number_min']}")
        if question.get("number_max") is not None:
            parts.append(f". <= {question['number_max']}")
    if kind == Question.Kind.MULTIPLE:
        if question.get("min_choices"):
            parts.append(f"count-selected(.) >= {question['min_choices']}")
        if question.get("max_choices"):
            parts.append(f"count-selected(.) <= {question['max_choices']}")
    return " and ".join(parts)


def workbook_bytes(definition: dict) -> bytes:
    """The XLSForm workbook of a survey definition."""
    book = Workbook()
    survey_sheet = book.active
    survey_sheet.title = "survey"
    survey_sheet.append(SURVEY_COLUMNS)
    choices_sheet = book.create_sheet("choices")
    choices_sheet.append(["list_name", "name", "label"])
    choices_sheet.append([YES_NO_LIST, "yes", _("oui")])
    choices_sheet.append([YES_NO_LIST, "no", _("non")])
    choice_names: dict[tuple[str, str], str] = {}
    for section in definition["sections"]:
        for question in section["questions"]:
            for n, label in enumerate(question.get("choices", []), start=1):
                choice_names[(question["code"], label)] = f"c{n}"
                choices_sheet.append([question["code"], f"c{n}", label])

    def row(**cells) -> None:
        survey_sheet.append([cells.get(column, "") for column in SURVEY_COLUMNS])

    for number, section in enumerate(definition["sections"], start=1):
        row(type="begin_group", name=f"section_{number}", label=section["title"],
            hint=section.get("description", ""), appearance="field-list",
            relevant=_relevant(section.get("rules", []), section.get("condition_mode", "all"),
                               choice_names))  # fmt: skip
        for question in section["questions"]:
            kind, code = question["kind"], question["code"]
            common = {
                "label": question["label"], "hint": question.get("help_text", ""),
                "required": "yes" if question.get("required") else "",
                "relevant": _relevant(question.get("rules", []),
                                      question.get("condition_mode", "all"), choice_names),
            }  # fmt: skip
            constraint = _constraint(question)
            if kind == Question.Kind.GRID:
                row(type="begin_group", name=code, appearance="table-list", **common)
                for n, label in enumerate(question.get("rows", []), start=1):
                    row(type=f"select_one {code}", name=f"{code}__{n}", label=label,
                        required=common["required"])  # fmt: skip
                row(type="end_group", name=code)
                continue
            other = " or_other" if question.get("allow_other") else ""
            xls_type = {
                Question.Kind.SHORT_TEXT: "text", Question.Kind.LONG_TEXT: "text",
                Question.Kind.EMAIL: "text", Question.Kind.URL: "text",
                Question.Kind.INTEGER: "integer", Question.Kind.DECIMAL: "decimal",
                Question.Kind.DATE: "date", Question.Kind.SCALE: "range",
                Question.Kind.SINGLE: f"select_one {code}{other}",
                Question.Kind.SINGLE_LIST: f"select_one {code}{other}",
                Question.Kind.MULTIPLE: f"select_multiple {code}{other}",
                Question.Kind.YES_NO: f"select_one {YES_NO_LIST}",
                Question.Kind.RANKING: f"rank {code}",
            }[kind]  # fmt: skip
            extra = {}
            if kind == Question.Kind.LONG_TEXT:
                extra["appearance"] = "multiline"
            elif kind == Question.Kind.SINGLE_LIST:
                extra["appearance"] = "minimal"
            elif kind == Question.Kind.SCALE:
                extra["parameters"] = (
                    f"start={question['scale_min']} end={question['scale_max']} step=1"
                )
                extra["scale_min_label"] = question.get("scale_min_label", "")
                extra["scale_max_label"] = question.get("scale_max_label", "")
            row(type=xls_type, name=code, constraint=constraint, **common, **extra)
        row(type="end_group", name=f"section_{number}")
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "audience"])
    settings.append([definition["title"], definition["slug"], "1", definition["audience"]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def survey_workbook(survey: Survey) -> bytes:
    return workbook_bytes(definition_of(survey))


# --- Reading a workbook ----------------------------------------------------------------

SUPPORTED_TYPES = {
    "text", "integer", "decimal", "date", "range", "select_one", "select_multiple", "rank",
    "begin_group", "end_group", "note",
}  # fmt: skip
# What forms often carry that says nothing to a respondent here: skipped silently.
META_TYPES = {"start", "end", "today", "deviceid", "username", "audit", "calculate"}
RELEVANT_TERM = re.compile(
    r"^\s*(?P<not>not\()?\s*selected\(\s*\$\{(?P<sel>[\w.-]+)\}\s*,\s*'(?P<choice>[^']*)'\s*\)"
    r"\s*(?(not)\))\s*$"
    r"|^\s*\$\{(?P<src>[\w.-]+)\}\s*(?P<op>!=|>=|<=|=|>|<)\s*(?P<value>'[^']*'|-?[0-9.]+)\s*$"
)
BOUND = re.compile(r"^\.\s*(?P<op>>=|<=)\s*(?P<n>-?[0-9.]+)$")
COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*(?P<op>>=|<=)\s*(?P<n>[0-9]+)$")
REGEX = re.compile(r"^regex\(\s*\.\s*,\s*'(?P<pattern>[^']*)'\s*\)$")


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    return str(value).strip()


def _split_terms(expression: str) -> tuple[list[str], str]:
    """An expression's terms and how they combine; mixing and/or is not supported."""
    ands = re.split(r"\s+and\s+", expression)
    ors = re.split(r"\s+or\s+", expression)
    if len(ands) > 1 and len(ors) > 1:
        raise ValueError
    if len(ors) > 1:
        return ors, ConditionMode.ANY
    return ands, ConditionMode.ALL


def read_workbook(content: bytes) -> dict:
    """A survey definition from an XLSForm workbook, or XLSFormError listing, row by
    row and in French, what cannot be imported."""
    if len(content) > MAX_BYTES:
        raise XLSFormError([_("Le fichier dépasse 2 Mo.")])
    if not content.startswith(b"PK\x03\x04"):
        raise XLSFormError([_("Ce fichier n'est pas un classeur Excel (.xlsx).")])
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        sheets = {}
        for name in ("survey", "choices", "settings"):
            if name in book.sheetnames:
                rows = list(book[name].iter_rows(values_only=True))
                header = [
                    str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])
                ]
                sheets[name] = [
                    (number, dict(zip(header, values, strict=False)))
                    for number, values in enumerate(rows[1:], start=2)
                    if any(v not in (None, "") for v in values)
                ]
    except Exception as error:
        raise XLSFormError([_("Ce fichier n'est pas un classeur Excel lisible.")]) from error
    if "survey" not in sheets:
        raise XLSFormError([_("Le classeur n'a pas de feuille « survey ».")])
    # The reference converter first: what it refuses is not an XLSForm.
    try:
        xls2xform.convert(
            xlsform={
                name: [{k: v for k, v in row.items() if k and v not in (None, "")}
                       for _number, row in rows]
                for name, rows in sheets.items()
            },
            warnings=[],
        )  # fmt: skip
    except PyXFormError as error:
        raise XLSFormError([
            _("Ce n'est pas un XLSForm valide (selon pyxform) : %(error)s") % {"error": error}
        ]) from error  # fmt: skip
    return _definition_from(sheets)


def _definition_from(sheets: dict) -> dict:
    errors: list[str] = []
    lists: dict[str, list[tuple[str, str]]] = {}
    for _number, row in sheets.get("choices", []):
        lists.setdefault(_cell(row, "list_name"), []).append(
            (_cell(row, "name"), _cell(row, "label"))
        )
    settings = dict(sheets["settings"][0][1]) if sheets.get("settings") else {}
    title = _cell(settings, "form_title") or _("Enquête importée")
    sections: list[dict] = []
    current: dict | None = None
    grid: dict | None = None
    depth = 0
    choice_label: dict[tuple[str, str], str] = {}  # (question code, choice name): label
    kinds: dict[str, str] = {}

    def where(number: int) -> str:
        return _("Ligne %(n)s de la feuille « survey »") % {"n": number}

    def section_for(number: int) -> dict:
        nonlocal current
        if current is None:  # questions outside any group: one page of their own
            current = {"title": title, "description": "", "questions": [], "rules": [],
                       "condition_mode": ConditionMode.ALL, "row": number}  # fmt: skip
            sections.append(current)
        return current

    def parse_relevant(expression: str, number: int) -> tuple[list[dict], str]:
        if not expression:
            return [], ConditionMode.ALL
        try:
            terms, mode = _split_terms(expression)
        except ValueError:
            errors.append(
                _("%(where)s : une condition qui mêle « and » et « or » n'est pas prise en "
                  "charge.") % {"where": where(number)}
            )  # fmt: skip
            return [], ConditionMode.ALL
        rules = []
        for term in terms:
            match = RELEVANT_TERM.match(term)
            if not match:
                errors.append(
                    _("%(where)s : la condition « %(term)s » n'est pas prise en charge.")
                    % {"where": where(number), "term": term.strip()}
                )
                continue
            if match["sel"]:
                source = match["sel"]
                label = choice_label.get((source, match["choice"]))
                if label is None:
                    errors.append(
                        _("%(where)s : « %(choice)s » n'est pas un choix de « %(source)s », "
                          "posée avant.") % {"where": where(number), "choice": match["choice"],
                                              "source": source}
                    )  # fmt: skip
                    continue
                operator = Rule.Operator.EXCLUDES if match["not"] else Rule.Operator.INCLUDES
                rules.append({"source": source, "operator": operator.value, "choice": label,
                              "number": None})  # fmt: skip
                continue
            source, op, value = match["src"], match["op"], match["value"]
            if source not in kinds:
                errors.append(
                    _("%(where)s : la condition lit « %(source)s », qui n'est pas une question "
                      "posée avant.") % {"where": where(number), "source": source}
                )  # fmt: skip
                continue
            rule = {"source": source, "choice": None, "number": None}
            if op == "!=" and value == "''":
                rule["operator"] = Rule.Operator.ANSWERED.value
            elif op == "=" and value in ("'yes'", "'no'") and kinds[source] == Question.Kind.YES_NO:
                rule["operator"] = value.strip("'")
            elif op in ("=", ">", ">=", "<", "<=") and not value.startswith("'"):
                rule["operator"] = {v: k for k, v in COMPARISONS.items()}[op].value
                rule["number"] = value
            elif op == "=" and value.startswith("'") and (source, value.strip("'")) in choice_label:
                rule.update(operator=Rule.Operator.INCLUDES.value,
                            choice=choice_label[(source, value.strip("'"))])  # fmt: skip
            else:
                errors.append(
                    _("%(where)s : la condition « %(term)s » n'est pas prise en charge.")
                    % {"where": where(number), "term": term.strip()}
                )
                continue
            rules.append(rule)
        return rules, mode

    for number, row in sheets["survey"]:
        raw_type = re.sub(r"\s+", " ", _cell(row, "type"))
        raw_type = re.sub(r"^(begin|end) (group|repeat)\b", r"\1_\2", raw_type)
        if not raw_type:
            continue
        base, _space, rest = raw_type.partition(" ")
        name, label = _cell(row, "name"), _cell(row, "label")
        appearance = _cell(row, "appearance")
        if base in META_TYPES or base == "end_repeat":
            continue  # (a repeat is reported at its beginning)
        if base not in SUPPORTED_TYPES:
            errors.append(
                _("%(where)s : le type « %(type)s » n'est pas pris en charge (question "
                  "« %(name)s »).") % {"where": where(number), "type": raw_type, "name": name}
            )  # fmt: skip
            continue
        required = _cell(row, "required").lower() in ("yes", "true", "true()", "1", "oui")
        if base == "begin_group":
            if appearance == "table-list" and current is not None and grid is None:
                rules, mode = parse_relevant(_cell(row, "relevant"), number)
                grid = {
                    "code": name, "label": label, "kind": Question.Kind.GRID.value,
                    "required": required, "help_text": _cell(row, "hint"), "rows": [],
                    "choices": [], "list": None, "rules": rules, "condition_mode": mode,
                }  # fmt: skip
                continue
            if depth >= 1:
                errors.append(
                    _("%(where)s : un groupe dans un groupe n'est pris en charge que pour une "
                      "grille (apparence « table-list »).") % {"where": where(number)}
                )  # fmt: skip
            depth += 1
            rules, mode = parse_relevant(_cell(row, "relevant"), number)
            current = {"title": label or name, "description": _cell(row, "hint"),
                       "questions": [], "rules": rules, "condition_mode": mode}  # fmt: skip
            sections.append(current)
            continue
        if base == "end_group":
            if grid is not None:
                if not grid["rows"]:
                    errors.append(_("%(where)s : la grille « %(name)s » n'a aucune ligne.")
                                  % {"where": where(number), "name": grid["code"]})  # fmt: skip
                grid.pop("list")
                section_for(number)["questions"].append(grid)
                kinds[grid["code"]] = Question.Kind.GRID
                grid = None
            else:
                depth = max(depth - 1, 0)
                current = None
            continue
        if base == "note":
            continue  # a text to read: nothing to answer
        if grid is not None:
            if base != "select_one" or grid["list"] not in (None, rest):
                errors.append(
                    _("%(where)s : une grille ne contient que des choix uniques sur la même "
                      "liste.") % {"where": where(number)}
                )  # fmt: skip
                continue
            if grid["list"] is None:
                grid["list"] = rest
                grid["choices"] = [lbl for _n, lbl in lists.get(rest, [])]
                for choice_name, choice_text in lists.get(rest, []):
                    choice_label[(grid["code"], choice_name)] = choice_text
            grid["rows"].append(label)
            continue
        question = {
            "code": name, "label": label, "required": required,
            "help_text": _cell(row, "hint"), "choices": [], "rows": [],
        }  # fmt: skip
        rules, mode = parse_relevant(_cell(row, "relevant"), number)
        question.update(rules=rules, condition_mode=mode)
        constraint = _cell(row, "constraint")
        terms = [t for t in re.split(r"\s+and\s+", constraint) if t] if constraint else []
        pattern = None
        for term in terms:
            term = term.strip()
            if (match := REGEX.match(term)) is not None:
                pattern = match["pattern"]
            elif (match := BOUND.match(term)) is not None and base in ("integer", "decimal"):
                key = "number_min" if match["op"] == ">=" else "number_max"
                question[key] = match["n"]
            elif (match := COUNT.match(term)) is not None and base == "select_multiple":
                key = "min_choices" if match["op"] == ">=" else "max_choices"
                question[key] = int(match["n"])
            else:
                errors.append(
                    _("%(where)s : la contrainte « %(term)s » n'est pas prise en charge.")
                    % {"where": where(number), "term": term}
                )
        if base == "text":
            kind = Question.Kind.SHORT_TEXT
            if "multiline" in appearance:
                kind = Question.Kind.LONG_TEXT
            if pattern is not None:
                found = [key for key, value in PATTERNS.items() if value == pattern]
                if not found:
                    errors.append(
                        _("%(where)s : le motif « %(pattern)s » n'est pas pris en charge "
                          "(code postal, téléphone, SIRET, e-mail ou adresse web).")
                        % {"where": where(number), "pattern": pattern}
                    )  # fmt: skip
                elif found[0] in ("email", "url"):
                    kind = Question.Kind(found[0])
                else:
                    kind = Question.Kind.SHORT_TEXT
                    question["text_format"] = found[0]
        elif base in ("integer", "decimal", "date"):
            kind = Question.Kind(base)
        elif base == "range":
            params = dict(
                part.split("=", 1) for part in _cell(row, "parameters").split() if "=" in part
            )
            try:
                question["scale_min"] = int(params.get("start", 1))
                question["scale_max"] = int(params.get("end", 10))
                if int(params.get("step", 1)) != 1:
                    raise ValueError
            except ValueError:
                errors.append(_("%(where)s : une échelle va de 1 en 1, entre deux entiers.")
                              % {"where": where(number)})  # fmt: skip
            question["scale_min_label"] = _cell(row, "scale_min_label")[:60]
            question["scale_max_label"] = _cell(row, "scale_max_label")[:60]
            kind = Question.Kind.SCALE
        else:  # select_one, select_multiple, rank
            list_name, _space, or_other = rest.partition(" ")
            options = lists.get(list_name, [])
            question["allow_other"] = or_other == "or_other"
            names = {option for option, _lbl in options}
            if base == "select_one" and names == {"yes", "no"}:
                kind = Question.Kind.YES_NO
            else:
                kind = {
                    "select_one": Question.Kind.SINGLE_LIST if "minimal" in appearance
                    else Question.Kind.SINGLE,
                    "select_multiple": Question.Kind.MULTIPLE,
                    "rank": Question.Kind.RANKING,
                }[base]  # fmt: skip
                question["choices"] = [lbl for _n, lbl in options]
                for option, text in options:
                    choice_label[(name, option)] = text
        question["kind"] = kind.value
        kinds[name] = kind
        section_for(number)["questions"].append(question)
    for section in sections:
        section.pop("row", None)
    sections = [section for section in sections if section["questions"]]
    if not sections:
        errors.append(_("Le classeur ne contient aucune question."))
    for section in sections:
        for question in section["questions"]:
            if len(question["code"]) > 40:
                errors.append(_("La question « %(name)s » a un nom de plus de 40 caractères.")
                              % {"name": question["code"]})  # fmt: skip
            if len(question["label"]) > 400 or not question["label"]:
                errors.append(_("La question « %(name)s » doit avoir un libellé de 1 à 400 "
                                "caractères.") % {"name": question["code"]})  # fmt: skip
    if errors:
        raise XLSFormError(errors)
    return {
        "title": title[:200],
        "slug": _cell(settings, "form_id"),
        "audience": _cell(settings, "audience"),
        "sections": sections,
    }


def unique_slug(base: str) -> str:
    base = slugify(base)[:200] or "enquete"
    slug, n = base, 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def survey_import(content: bytes, *, audience: str, opens_at, closes_at) -> Survey:
    """A new survey, in preparation, from an XLSForm workbook (XLSFormError otherwise).
    Its address comes from the form's id (or title), made unique."""
    definition = read_workbook(content)
    definition.update(
        slug=unique_slug(definition["slug"] or definition["title"]),
        audience=audience,
        status=Survey.Status.DRAFT,
        opens_at=opens_at,
        closes_at=closes_at,
        intro=_("Merci de prendre quelques minutes pour répondre."),
        thank_you=_("Merci pour vos réponses."),
    )
    survey, _created = survey_load(definition)
    return survey
