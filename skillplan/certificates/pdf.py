"""The 培训合格证书 as a one-page A4 landscape PDF, in Chinese whatever the reader's language.

The Chinese font (Noto Sans SC, ``fonts/``, SIL OFL) ships with the code and a subset of it is
embedded in every PDF, so the certificate shows the same on a machine without Chinese fonts.
The QR code is drawn as vector squares and encodes the absolute address of the public
verification page with the certificate number filled in (the name still has to be typed).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from skillplan.certificates.models import TrainingCertificate

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansHans-Regular.otf"
FONT = "noto-sans-sc"
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN_X = 40.0
QR_SIZE = 38.0  # mm, quiet zone included
QR_QUIET = 4  # modules of white around the code, as the standard asks
_FRAME = (150, 28, 28)
_INK = (20, 20, 20)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)")
# fpdf2 subsets the font with fontTools, which reports every step at INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def public_verify_url(number: str, request: HttpRequest | None = None) -> str:
    """The absolute address of the verification page with ``number`` filled in."""
    path = f"{reverse('public_certificates:verify')}?{urlencode({'number': number})}"
    base = str(getattr(settings, "SKILLPLAN_PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://127.0.0.1:8000" + path


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def statement(certificate: TrainingCertificate) -> str:
    """参加了 <项目> 培训（<起止日期>，<学时>学时），考核合格，特发此证。"""
    project = certificate.project_name.strip()
    training = project if project.endswith("培训") else f"{project}培训"
    return (f"参加了{training}（{chinese_date(certificate.start_date)}至"
            f"{chinese_date(certificate.end_date)}，{certificate.hours}学时），"
            "考核合格，特发此证。")


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` in the current font, breaking between any two
    characters (Chinese has no spaces) but never putting closing punctuation at the start of
    a line: the character before it moves down with it."""
    lines: list[str] = []
    line = ""
    for char in text:
        if not line or pdf.get_string_width(line + char) <= width:
            line += char
            continue
        if char in _NO_LINE_START and len(line) > 1:
            lines.append(line[:-1])
            line = line[-1] + char
        else:
            lines.append(line)
            line = char
    if line:
        lines.append(line)
    return lines


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*_FRAME)
    pdf.set_line_width(1.4)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, PAGE_W - 28, PAGE_H - 28)


def _qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix) + 2 * QR_QUIET
    cell = size / modules
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        top = y + (row_index + QR_QUIET) * cell
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            # A hair wider than the module, so that no seam shows between neighbours.
            pdf.rect(x + (start + QR_QUIET) * cell, top, (col - start) * cell + 0.01,
                     cell + 0.01, style="F")


def _revoked_stamp(pdf: FPDF, certificate: TrainingCertificate) -> None:
    pdf.set_text_color(*_FRAME)
    with pdf.rotation(18, x=PAGE_W / 2, y=PAGE_H / 2):
        pdf.set_font(FONT, size=64)
        pdf.set_xy(0, PAGE_H / 2 - 20)
        pdf.cell(w=PAGE_W, h=26, text="已撤销", align=Align.C)
    pdf.set_font(FONT, size=12)
    pdf.set_xy(MARGIN_X, 22)
    when = chinese_date(certificate.revoked_at.date()) if certificate.revoked_at else ""
    pdf.cell(w=PAGE_W - 2 * MARGIN_X, h=8, text=f"本证书已于{when}撤销，不再有效。",
             align=Align.R)
    pdf.set_text_color(*_INK)


def _body(pdf: FPDF, certificate: TrainingCertificate) -> None:
    pdf.set_text_color(*_INK)
    pdf.set_font(FONT, size=34)
    pdf.set_char_spacing(8)
    pdf.set_xy(0, 30)
    pdf.cell(w=PAGE_W, h=18, text="培训合格证书", align=Align.C)
    pdf.set_char_spacing(0)
    pdf.set_font(FONT, size=20)
    pdf.set_xy(MARGIN_X, 66)
    pdf.cell(text=f"{certificate.holder_name}：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=17)
    top = 80.0
    for line in wrap(pdf, "　　" + statement(certificate), PAGE_W - 2 * MARGIN_X):
        pdf.set_xy(MARGIN_X, top)
        pdf.cell(text=line)
        top += 12


def _footer(pdf: FPDF, certificate: TrainingCertificate, url: str) -> None:
    right_w = 150.0
    right_x = PAGE_W - MARGIN_X - right_w
    size = 16.0
    pdf.set_font(FONT, size=size)
    while size > 10 and pdf.get_string_width(certificate.provider_name) > right_w:
        size -= 0.5
        pdf.set_font(FONT, size=size)
    pdf.set_xy(right_x, 138)
    pdf.cell(w=right_w, h=9, text=certificate.provider_name, align=Align.R)
    pdf.set_font(FONT, size=15)
    pdf.set_xy(right_x, 149)
    pdf.cell(w=right_w, h=9, text=chinese_date(certificate.issued_on), align=Align.R)
    qr_x, qr_y = MARGIN_X - 12, PAGE_H - 14 - 6 - QR_SIZE
    _qr(pdf, url, qr_x, qr_y, QR_SIZE)
    text_x = qr_x + QR_SIZE + 4
    pdf.set_font(FONT, size=12)
    pdf.set_xy(text_x, qr_y + 8)
    pdf.cell(text=f"证书编号：{certificate.number}")
    pdf.set_xy(text_x, qr_y + 16)
    pdf.cell(text=f"发证日期：{chinese_date(certificate.issued_on)}")
    pdf.set_font(FONT, size=9)
    pdf.set_xy(text_x, qr_y + 24)
    pdf.cell(text="扫描二维码或登录以下网址，输入证书编号和持证人姓名查验真伪：")
    pdf.set_xy(text_x, qr_y + 29)
    pdf.cell(text=url)


def certificate_pdf(certificate: TrainingCertificate, *, verify_url: str) -> bytes:
    """The PDF of ``certificate``; ``verify_url`` goes into the QR code."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_X, 20, MARGIN_X)
    pdf.add_font(FONT, "", str(FONT_PATH))
    pdf.set_title(f"培训合格证书 {certificate.number}")
    pdf.set_author(certificate.provider_name)
    pdf.set_creator("skillplan")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _frame(pdf)
    _body(pdf, certificate)
    _footer(pdf, certificate, verify_url)
    if not certificate.is_valid:
        _revoked_stamp(pdf, certificate)
    return bytes(pdf.output())
