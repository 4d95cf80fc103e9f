"""The certificate PDF: Chinese text really drawn with an embedded font, a QR code that leads
to the verification page with the number filled in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from skillplan.certificates.services import certificate_revoke
from tests.certificates.conftest import make_person

pytestmark = pytest.mark.django_db

SCALE = 2  # pixels per PDF point


def _render(content: bytes) -> tuple[str, Image.Image, tuple[float, float]]:
    document = pdfium.PdfDocument(content)
    try:
        assert len(document) == 1
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        image = page.render(scale=SCALE).to_pil().convert("L")
        size = page.get_size()
        textpage.close()
        page.close()
    finally:
        document.close()
    return text, image, size


def _dark_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    histogram = image.crop(box).histogram()  # 256 grey levels
    return sum(histogram[:100]) / sum(histogram)


@pytest.fixture
def certificate(issued):
    return issued([{"person": make_person(name="欧阳娜娜")}])[0]


def test_pdf_draws_the_chinese_text_with_an_embedded_font(client_for, certificate):
    response = client_for("demo_provider").get(reverse("certificates:pdf",
                                                       args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    # The font travels inside the file (a subset), so no viewer font is needed.
    assert b"/FontFile" in content
    text, image, (width, height) = _render(content)
    assert width > height  # landscape
    assert round(width / 72 * 25.4) == 297 and round(height / 72 * 25.4) == 210  # A4
    for expected in ("培训合格证书", "欧阳娜娜", certificate.number, certificate.provider_name,
                     "考核合格，特发此证", f"{certificate.hours}学时"):
        assert expected.replace(" ", "") in text.replace("\r\n", "").replace(" ", ""), expected
    # The title is drawn: the band under the top frame has ink; an empty band has none.
    title_box = (int(width * SCALE * 0.3), int(30 / 25.4 * 72 * SCALE),
                 int(width * SCALE * 0.7), int(48 / 25.4 * 72 * SCALE))
    assert _dark_share(image, title_box) > 0.03
    blank_box = (int(width * SCALE * 0.3), int(52 / 25.4 * 72 * SCALE),
                 int(width * SCALE * 0.7), int(60 / 25.4 * 72 * SCALE))
    assert _dark_share(image, blank_box) == 0


def test_qr_code_opens_the_verification_page_with_the_number(client, client_for,
                                                           certificate):
    content = client_for("demo_county_furong").get(
        reverse("certificates:pdf", args=[certificate.pk])).content
    _text, image, _size = _render(content)
    codes = [code for code in zxingcpp.read_barcodes(image)
             if code.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1
    url = urlsplit(codes[0].text)
    assert f"{url.scheme}://{url.netloc}" == "https://px.example.cn"
    assert url.path == reverse("public_certificates:verify")
    assert parse_qs(url.query) == {"number": [certificate.number]}
    page = client.get(f"{url.path}?{url.query}")
    assert page.status_code == 200
    assert f'value="{certificate.number}"' in page.content.decode()


def test_revoked_certificate_pdf_says_so(client_for, persona, certificate):
    certificate_revoke(actor=persona("demo_province"), certificate=certificate,
                       reason="成绩作废")
    content = client_for("demo_provider").get(
        reverse("certificates:pdf", args=[certificate.pk])).content
    text, _image, _size = _render(content)
    assert "已撤销" in text
