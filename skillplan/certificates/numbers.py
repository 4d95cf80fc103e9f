"""Numbers of training certificates: ``HNPX-2025-430102-00001``.

``HNPX`` (湖南培训) — the year the class started — the six-digit code of the county where the
class was held (a class held at city level gets the city code padded with zeros, 430100) — a
five-digit sequence per county and year. The sequence comes from a counter row locked with
``select_for_update``, so two completions approved at the same moment never share a number; a
number a provider typed for a trainee (kept as given) is skipped if it happens to have the
same form.
"""

from __future__ import annotations

from django.conf import settings

from skillplan.certificates.models import CertificateNumberCounter, TrainingCertificate
from skillplan.training.models import Enrolment, TrainingClass


def _prefix() -> str:
    return str(getattr(settings, "SKILLPLAN_CERTIFICATE_PREFIX", "HNPX"))


def county_code_of(training_class: TrainingClass) -> str:
    return (training_class.region_code or "")[:6].ljust(6, "0")


def format_number(*, year: int, county_code: str, sequence: int) -> str:
    return f"{_prefix()}-{year}-{county_code}-{sequence:05d}"


def _taken(numbers: list[str]) -> set[str]:
    taken = set(TrainingCertificate.objects.filter(number__in=numbers)
                .values_list("number", flat=True))
    taken |= set(Enrolment.objects.filter(certificate_number__in=numbers)
                 .values_list("certificate_number", flat=True))
    return taken


def allocate_numbers(training_class: TrainingClass, count: int) -> list[str]:
    """``count`` new numbers for certificates of ``training_class``; call inside a transaction
    (the counter row stays locked until it commits)."""
    if count <= 0:
        return []
    county, year = county_code_of(training_class), training_class.start_date.year
    CertificateNumberCounter.objects.get_or_create(county_code=county, year=year)
    counter = CertificateNumberCounter.objects.select_for_update().get(county_code=county,
                                                                       year=year)
    numbers: list[str] = []
    sequence = counter.last
    while len(numbers) < count:
        candidates = _candidates(year, county, sequence, count - len(numbers))
        sequence += len(candidates)
        taken = _taken(candidates)
        numbers.extend(number for number in candidates if number not in taken)
    counter.last = sequence
    counter.save(update_fields=["last"])
    return numbers


def _candidates(year: int, county: str, after: int, count: int) -> list[str]:
    return [format_number(year=year, county_code=county, sequence=sequence)
            for sequence in range(after + 1, after + count + 1)]
