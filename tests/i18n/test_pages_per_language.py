"""The platforms pages, the API's and the widget's docs, the error pages and the API's messages
in each language; the profile's own prose and the sources' quotes stay in English, and say so."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db

# (language prefix, the list page's heading, a heading of Binance's profile page)
HEADINGS = [
    ("zh-hans", "您会欠钱吗？平台比较", "谁来弥补亏空（按顺序）"),
    ("ru", "Можно ли остаться должным? Сравнение платформ", "Кто покрывает дефицит, по порядку"),
    ("ko", "빚을 질 수 있나요? 플랫폼 비교", "결손을 메우는 주체 (순서대로)"),
    ("tr", "Borçlu kalabilir misiniz? Platformlar karşılaştırıldı", "Açığı kim karşılar, sırayla"),
    ("vi", "Bạn có thể bị nợ không? So sánh các nền tảng", "Ai bù đắp thâm hụt, theo thứ tự"),
    (
        "es",
        "¿Puedes acabar debiendo dinero? Plataformas comparadas",
        "Quién cubre un déficit, por orden",
    ),
    ("pt-br", "Você pode ficar devendo? Plataformas comparadas", "Quem cobre um déficit, em ordem"),
    ("uk", "Чи можна залишитися винним? Порівняння платформ", "Хто покриває дефіцит, по черзі"),
]


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("code", "list_heading", "detail_heading"), HEADINGS)
def test_the_platform_pages_are_in_the_language(client, seeded, code, list_heading, detail_heading):
    listing = text(client.get(f"/{code}/platforms/"))
    assert f"<h1>{list_heading}</h1>" in listing
    assert "Can you owe money?" not in listing and "Last verified" not in listing
    detail = text(client.get(f"/{code}/platforms/binance/"))
    assert f"<h4>{detail_heading}</h4>" in detail
    assert "Who covers a deficit" not in detail and "Maintenance margin on" not in detail


def test_the_russian_list_counts_filters_and_labels_in_russian(client, seeded):
    page = text(client.get("/ru/platforms/?kind=exchange&sort=leverage"))
    count = re.search(r'<p class="count" role="status">([^<]*)</p>', page).group(1)
    number = int(count.split()[0])
    word = {1: "платформа", 2: "платформы", 3: "платформы", 4: "платформы"}.get(number % 10)
    if number % 100 in (11, 12, 13, 14) or word is None:
        word = "платформ"
    assert count == f"{number} {word}", count
    assert '<label for="id_sort">Сортировать по</label>' in page
    assert "Централизованная биржа" in page  # the kind's label
    assert ">Нет<" in page or ">Да<" in page or "По устройству нет, но без обещания" in page
    assert "Страховой фонд" in page  # a waterfall party


def test_the_profile_says_its_prose_and_quotes_are_in_english(client, seeded):
    page = text(client.get("/uk/platforms/binance/"))
    assert "Власні тексти профілю (опис, примітки й винятки) — англійською" in page
    assert '<blockquote cite="' in page and 'lang="en"' in page
    assert "Підтримувальна маржа від" in page and "Без опублікованого прикладу" in page
    english = text(client.get("/platforms/binance/"))
    assert "are in English, as we wrote them" not in english
    assert "Maintenance margin on" in english


def test_the_profile_dates_and_numbers_follow_the_locale(client, seeded):
    page = text(client.get("/ru/platforms/binance/"))
    # the last-verified date as the calculator writes it ("6 декабря 2026 г.")
    assert re.search(r"<dt>Последняя проверка</dt><dd>\d{1,2} [а-я]+ \d{4}\s?г\.", page), page
    assert re.search(r"<td class=\"num\">\d+(?:,\d+)?×</td>", page)


def test_the_api_docs_follow_accept_language(client):
    russian = client.get("/api/", HTTP_ACCEPT_LANGUAGE="ru")
    page = text(russian)
    assert '<h2 id="evaluate">Оценить позицию</h2>' in page
    assert "Описания полей — на английском" in page
    assert "Accept-Language" in russian["Vary"]
    english = text(client.get("/api/"))
    assert '<h2 id="evaluate">Evaluate a position</h2>' in english


def test_the_widget_docs_follow_accept_language(client, seeded):
    page = text(client.get("/embed/docs/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"))
    assert "<h1>Insertar la calculadora</h1>" in page
    assert 'data-copied="Copiado."' in page


def test_api_errors_come_back_in_the_asked_language(client, seeded):
    bad_json = client.post(
        "/api/v1/evaluate", "{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert bad_json.status_code == 400
    assert bad_json.json() == {"errors": {"__all__": ["Тело запроса — не корректный JSON."]}}
    unknown = client.get(
        "/api/v1/evaluate?platform=binance&entry_price=50000&margin=1000&leverage=10&levrage=5",
        HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5",
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["levrage"] == ["Невідоме поле."]
    assert "Accept-Language" in unknown["Vary"]
    missing = client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="es")
    assert missing.status_code == 404
    assert missing.json()["errors"]["__all__"][0].startswith("No existe ese endpoint")
    refused = client.put("/api/v1/evaluate", HTTP_ACCEPT_LANGUAGE="tr")
    assert refused.status_code == 405
    assert refused.json()["errors"]["__all__"] == ["Bu uç nokta PUT isteğine yanıt vermez."]


def test_api_errors_stay_english_without_a_language_we_speak(client, seeded):
    response = client.post(
        "/api/v1/evaluate", "{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.json() == {"errors": {"__all__": ["The body is not valid JSON."]}}


def test_the_api_keeps_its_numbers_whatever_the_language(client, seeded):
    body = {"platform": "binance", "entry_price": "50000", "margin": "1234.5", "leverage": "10"}
    response = client.post(
        "/api/v1/evaluate", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    data = response.json()
    assert re.fullmatch(r"\d+\.\d+", data["liquidation_price"]), data["liquidation_price"]
    assert data["profile"]["negative_balance_protection"] in {
        "regulatory_guarantee",
        "contractual_promise",
        "mechanism_only",
        "user_liable",
        "unknown",
    }


def test_a_profile_lookup_error_is_in_the_language(client, seeded):
    response = client.get(
        "/api/v1/evaluate?platform=nowhere&entry_price=50000&margin=1000&leverage=10",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "У нас нет опубликованного профиля «nowhere»." in response.json()["errors"]["platform"]


def test_the_error_pages_are_in_the_language(client, seeded):
    response = client.get("/ru/platforms/no-such-platform/")
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert "Мы не нашли эту страницу" in page and 'href="/ru/"' in page


def test_krakens_spot_margin_steps_are_in_the_language(client, seeded):
    query = "platform=kraken&contract=spot_margin&entry_price=50000&margin=1000&leverage=3"
    page = text(client.get("/ru/?" + query))
    steps = page.split('id="maths"')[1].split("</details>")[0]
    assert "вся позиция взята в долг; ваш депозит остаётся залогом" in steps, steps
    assert "уровень маржи = капитал / использованная маржа" in steps, steps
    assert "капитал = 0" in steps
    assert "the whole position is borrowed" not in steps and "used margin" not in steps


def test_the_unchecked_conventions_are_named_in_the_language(client, seeded):
    page = text(client.get("/es/?platform=hyperliquid&entry_price=50000&margin=1000&leverage=10"))
    steps = page.split('id="maths"')[1].split("</details>")[0]
    assert "el nocional sobre el que se mide el mantenimiento" in steps, steps
    assert "the notional maintenance is measured on" not in steps


def test_every_engine_convention_has_a_name_for_visitors():
    """The engine names conventions by value only; the display layer names each one."""
    from engine import Convention as EngineConvention
    from platforms.choices import CONVENTION_PHRASES, Convention

    assert set(CONVENTION_PHRASES) == set(EngineConvention)
    assert {c.value for c in EngineConvention} == set(Convention.values)
