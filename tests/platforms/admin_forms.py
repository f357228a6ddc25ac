"""Turn an admin change page into the POST data a browser would send, so tests edit like a person."""

from typing import Any


def _value(field: Any) -> Any:
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def form_data(response) -> dict[str, Any]:
    """The fields of the main form and every inline formset, as currently filled in."""
    data: dict[str, Any] = {}
    for fieldset in response.context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    continue
                bound = field.field
                value = _value(bound)
                if value != "":
                    data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = _value(form[name])
                if value != "":
                    data[form[name].html_name] = value
    return data


def add_inline_row(data: dict[str, Any], prefix: str, row: dict[str, Any]) -> None:
    """Append one new row to the inline formset with this prefix, as "Add another" does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in row.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
