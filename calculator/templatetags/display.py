"""Display filters: rates as percentages and money with separators, never in scientific notation."""

from decimal import Decimal, InvalidOperation
from html import escape  # what django.utils.html.escape calls, without its lazy-text wrapper

from django import template
from django.utils.safestring import SafeString, mark_safe

from calculator import formatting
from calculator.answer import KeyNumber, deficit_text
from calculator.charts import Figure
from calculator.maths import Step
from engine import Outcome, Warning

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, places: int = 2) -> str:
    """0.0045 → "0.45%"; trailing zeros trimmed so published rates read as published."""
    if value is None or value == "":
        return "—"
    try:
        scaled = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError, TypeError):
        return "—"
    text = f"{scaled:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def code_spans(text: str) -> SafeString:
    """`name` as <code>name</code>: the API's field descriptions are CommonMark for OpenAPI
    readers, and the API page showed their backticks as typed."""
    parts = escape(str(text)).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: leave the text as it is
        return mark_safe("`".join(parts))
    return mark_safe(
        "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    )


@register.filter
def bound(value: float | int) -> str:
    """A limit as written: 0.01, 1,000, −10,000,000,000,000 (not 0.0100 or -10000000000000)."""
    number = Decimal(repr(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:,f}".replace("-", "−")


@register.filter(name="money")
def money_filter(value: Decimal | None) -> str:
    return formatting.money(value)


@register.filter(name="coin")
def coin_filter(value: Decimal | None) -> str:
    return formatting.money(value, "coin")


@register.filter
def deficit(outcome: Outcome) -> str:
    """An outcome's deficit; for an inverse contract in coin first, as the exchange states it."""
    return deficit_text(outcome)


@register.filter(name="pct")
def pct_filter(value: Decimal | None) -> str:
    return formatting.pct(value)


@register.filter(name="times")
def times_filter(value: Decimal | None) -> str:
    return formatting.times(value)


@register.simple_tag
def table_rows(rows: list[list[str]]) -> SafeString:
    """A chart's data table body: the first cell of each row heads it, the rest are numbers.

    Written in one join rather than nested template loops: the results partial renders three
    of these on every keystroke, and each template variable costs several microseconds.
    """
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{escape(str(row[0]))}</th>'
            + "".join(f'<td class="num">{escape(str(cell))}</td>' for cell in row[1:])
            + "</tr>"
            for row in rows
            if row
        )
    )


_CHART_CARD = """<figure class="chart-card card" aria-labelledby="fig-{key}-title">
  <h2 id="fig-{key}-title">{title}</h2>
  <p class="chart-summary">{summary}</p>
  <div class="chart chart-{key}" id="chart-{key}" data-figure="{key}" role="img" aria-label="{title}: {summary}"></div>
  <details class="chart-table" id="table-{key}">
    <summary>Show the data as a table</summary>
    <div class="table-scroll"><table>
      <thead><tr>{head}</tr></thead>
      <tbody>{rows}</tbody>
    </table></div>
  </details>
</figure>
"""


@register.simple_tag
def chart_card(figure: Figure) -> SafeString:
    """One chart: its title, its summary sentence, the node plotly.js draws into, and the same
    numbers as a table. One format string: the results partial shows three on every
    keystroke, and as template loops they took a third of its rendering time."""
    return mark_safe(
        _CHART_CARD.format(
            key=escape(str(figure.key)),
            title=escape(str(figure.title)),
            summary=escape(str(figure.summary)),
            head="".join(
                f'<th scope="col">{escape(str(column))}</th>' for column in figure.columns
            ),
            rows=table_rows(figure.rows),
        )
    )


@register.simple_tag
def maths_items(steps: list[Step]) -> SafeString:
    """The "show the maths" list: each step's name, formula and the visitor's own numbers."""
    return mark_safe(
        "".join(
            f"<li><strong>{escape(step.name)}</strong><br><code>{escape(step.formula)}</code>"
            f"<br>{escape(step.worked)}</li>"
            for step in steps
        )
    )


@register.simple_tag
def key_number_items(numbers: list[KeyNumber]) -> SafeString:
    """The key numbers' <dl> items. One join, not a template loop: they redraw on every
    keystroke, and each template variable with a filter costs a few microseconds."""
    return mark_safe(
        "".join(
            f"<div><dt>{escape(number.label)}</dt>"
            + (f'<dd data-testid="{escape(number.testid)}">' if number.testid else "<dd>")
            + f"{escape(number.value)}</dd></div>"
            for number in numbers
        )
    )


@register.simple_tag
def paragraphs(lines: list[str], css_class: str = "") -> SafeString:
    """Each line as a paragraph (the answer's details, notices)."""
    start = f'<p class="{escape(css_class)}">' if css_class else "<p>"
    return mark_safe("".join(f"{start}{escape(line)}</p>" for line in lines))


@register.simple_tag
def warning_items(warnings: list[Warning]) -> SafeString:
    """The engine's warnings as list items, each marked with its code."""
    return mark_safe(
        "".join(
            f'<li class="warning" data-code="{escape(warning.code)}"><strong>Warning:</strong> '
            f"{escape(warning.message)}</li>"
            for warning in warnings
        )
    )


@register.simple_tag
def chart_cards(figures: list[Figure]) -> SafeString:
    """Every figure's card, in order (see chart_card)."""
    return mark_safe("".join(chart_card(figure) for figure in figures))
