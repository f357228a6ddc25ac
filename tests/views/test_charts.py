"""Figure building: the packed number arrays that plotly.js reads."""

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from calculator.charts import packed, unpacked
from calculator.results import figures_json


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=300))
def test_packed_arrays_give_back_every_number_exactly(values):
    spec = packed(values)
    assert spec["dtype"] == "f8"
    assert unpacked(json.loads(json.dumps(spec))) == values


def test_packed_bytes_are_little_endian_float64():
    # 1.0 as IEEE 754 little-endian float64 is 00 00 00 00 00 00 F0 3F, base64 "AAAAAAAA8D8=".
    assert packed([1.0]) == {"dtype": "f8", "bdata": "AAAAAAAA8D8="}


def test_a_non_finite_number_is_not_hidden_in_bytes():
    for bad in (math.nan, math.inf, -math.inf):
        spec = packed([1.0, bad])
        assert isinstance(spec, list)  # left as numbers, so the JSON encoder refuses it
        assert str(figures_json({"f": {"data": [{"y": spec}]}})) == "{}"


def test_figures_json_cannot_close_its_script_element():
    text = str(figures_json({"f": {"hovertemplate": "</script><b>&"}}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"f": {"hovertemplate": "</script><b>&"}}


def test_chart_card_escapes_what_it_shows():
    from calculator.charts import Figure
    from calculator.templatetags.display import chart_card

    html = str(
        chart_card(
            Figure(
                key="crash",
                title="Moves <b>",
                figure={},
                summary='On "A&B" you owe $1.00.',
                columns=["Move", "A&B"],
                rows=[["10%", "<script>"]],
            )
        )
    )
    assert 'data-figure="crash"' in html and 'id="chart-crash"' in html
    assert "Moves &lt;b&gt;" in html and "On &quot;A&amp;B&quot; you owe $1.00." in html
    assert '<th scope="col">A&amp;B</th>' in html
    assert '<tr><th scope="row">10%</th><td class="num">&lt;script&gt;</td></tr>' in html
    assert "<script>" not in html and "<b>" not in html
