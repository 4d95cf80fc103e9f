"""Every write to the person registry: register, change, reveal, merge, bulk import."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import can_act_on_region, scope_of
from skillplan.audit.services import PendingEvent, audit_record, audit_record_many
from skillplan.core.crypto import (
    EncryptedTextField,
    decrypt_text,
    encrypt_many,
    encrypt_text,
    lookup_hash,
    lookup_hasher,
)
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.core.masking import mask_id_number, mask_phone
from skillplan.people.models import Person
from skillplan.people.permissions import (
    CHANGE_PERSON,
    IMPORT_PERSONS,
    MERGE_PERSONS,
    REVEAL_PERSONAL_DATA,
)
from skillplan.people.rules import PersonValues
from skillplan.regions.selectors import RegionRef

ID_PURPOSE = "person-id"
PHONE_PURPOSE = "person-phone"
TRACKED_FIELDS = (
    "name", "id_number", "certificate_number", "category", "grade", "gender", "birth_date",
    "ethnicity", "education", "region_code", "urban_rural", "phone", "employment_status",
    "notes", "flags",
)  # fmt: skip
_MASKED = {"id_number": mask_id_number, "certificate_number": mask_id_number,
           "phone": mask_phone}


def id_hash_of(id_number: str) -> str:
    return lookup_hash(id_number, purpose=ID_PURPOSE)


def phone_hash_of(phone: str) -> str:
    return lookup_hash(phone, purpose=PHONE_PURPOSE) if phone else ""


def audit_view(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail may keep of person fields: protected ones masked."""
    return {key: _MASKED[key](value) if key in _MASKED else value
            for key, value in values.items()}


def _snapshot(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in TRACKED_FIELDS}


def _diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in TRACKED_FIELDS if old.get(key) != new.get(key)]
    return (audit_view({k: old.get(k) for k in changed}),
            audit_view({k: new.get(k) for k in changed}))


def registered_elsewhere_message() -> Any:
    """The answer when an ID number belongs to a person outside the actor's area: it says
    neither where nor who (the actor may not know where people outside the area live)."""
    return _("This ID number is already registered in another area; ask the province "
             "federation.")


def _check_region(actor: Any, region_code: str, permission: str) -> None:
    if not can_act_on_region(actor, region_code, permission=permission):
        raise RuleError("region_out_of_scope", _(
            "This household region lies outside your area; you cannot register or change "
            "persons there."))


def _apply(person: Person, values: PersonValues) -> None:
    for name, value in values.as_model_fields().items():
        setattr(person, name, value)
    person.id_hash = id_hash_of(values.id_number)
    person.phone_hash = phone_hash_of(values.phone)


@transaction.atomic
def person_create(*, actor: Any, values: PersonValues) -> Person:
    _check_region(actor, values.region.code, CHANGE_PERSON)
    existing = Person.objects.filter(id_hash=id_hash_of(values.id_number)).first()
    if existing is not None:
        if not scope_of(actor).covers_region(existing.region_code):
            raise RuleError("person_exists", registered_elsewhere_message())
        raise RuleError("person_exists", _(
            "A person with this ID number is already registered (%(region)s).") % {
            "region": existing.region.full_name})
    person = Person(created_by=actor, updated_by=actor)
    _apply(person, values)
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError as error:  # a concurrent registration of the same ID
        raise RuleError("person_exists", _(
            "A person with this ID number is already registered.")) from error
    audit_record(actor=actor, event="person.created", target=person,
                 region_code=person.region_code, after=audit_view(_snapshot(person)))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, values: PersonValues,
                  expected_version: int) -> Person:
    _check_region(actor, person.region_code, CHANGE_PERSON)
    _check_region(actor, values.region.code, CHANGE_PERSON)
    if person.merged_into_id:
        raise RuleError("person_merged", _(
            "This record was merged into another person; change that person instead."))
    new_hash = id_hash_of(values.id_number)
    other = None if new_hash == person.id_hash else Person.objects.filter(
        id_hash=new_hash).values_list("region_code", flat=True).first()
    if other is not None:
        if not scope_of(actor).covers_region(other):
            raise RuleError("person_exists", registered_elsewhere_message())
        raise RuleError("person_exists", _(
            "Another person is registered with this ID number; merge the two records instead."))
    before = _snapshot(person)
    _apply(person, values)
    after = _snapshot(person)
    if before == after:
        return person
    fields = [*values.as_model_fields().keys(), "id_hash", "phone_hash"]
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **{name: getattr(person, name) for name in fields},
        version=models.F("version") + 1, updated_at=timezone.now(),
        updated_by=actor if getattr(actor, "pk", None) else None,
    )
    if updated != 1:
        raise ConcurrentUpdateError()
    person.version = expected_version + 1
    old, new = _diff(before, after)
    audit_record(actor=actor, event="person.updated", target=person,
                 region_code=person.region_code, before=old, after=new)
    return person


@transaction.atomic
def person_reveal(*, actor: Any, person: Person, reason: str) -> dict[str, str]:
    """The clear ID, certificate number and phone, for a user allowed to see them; logged."""
    if not actor.has_perm(REVEAL_PERSONAL_DATA) or not scope_of(actor).covers_region(
        person.region_code
    ):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleError("reason_required", _("Say why you need to see the full numbers."))
    audit_record(actor=actor, event="person.revealed", target=person,
                 region_code=person.region_code,
                 after={"reason": reason[:200],
                        "fields": ["id_number", "certificate_number", "phone"]})
    return {"id_number": person.id_number, "certificate_number": person.certificate_number,
            "phone": person.phone}


# --- Merging duplicates ------------------------------------------------------------------

# Later apps register the links from their records to a person: (model, field name).
PersonLink = tuple[type[models.Model], str]
_LINKS: list[PersonLink] = []


def register_person_link(model: type[models.Model], field_name: str) -> None:
    _LINKS.append((model, field_name))


@transaction.atomic
def person_merge(*, actor: Any, keep: Person, duplicate: Person, reason: str) -> Person:
    """Move everything linked to ``duplicate`` onto ``keep``; the duplicate stays as a
    tombstone pointing at ``keep`` (its ID number then leads to ``keep``)."""
    if not actor.has_perm(MERGE_PERSONS):
        raise PermissionDenied
    invalid = RuleError("merge_invalid", _("Choose two different, unmerged persons."))
    if keep.pk == duplicate.pk:
        raise invalid
    # The objects given may be stale (a concurrent merge of the same pair, the other way
    # round): lock both rows, in a fixed order, and decide on their current state.
    given = duplicate
    locked = {person.pk: person for person in Person.objects.select_for_update().filter(
        pk__in=[keep.pk, duplicate.pk]).order_by("pk")}
    if len(locked) != 2:
        raise invalid
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    for person in (keep, duplicate):
        _check_region(actor, person.region_code, MERGE_PERSONS)
    if duplicate.merged_into_id or keep.merged_into_id:
        raise invalid
    moved: dict[str, int] = {}
    for model, field_name in _LINKS:
        count = model._default_manager.filter(**{field_name: duplicate}).update(
            **{field_name: keep})
        moved[model._meta.label_lower] = count
    if duplicate.user_id and not keep.user_id:
        keep.user_id, duplicate.user_id = duplicate.user_id, None
        Person.objects.filter(pk=duplicate.pk).update(user=None)
        Person.objects.filter(pk=keep.pk).update(user_id=keep.user_id)
    tombstoned = Person.objects.filter(pk=duplicate.pk, merged_into__isnull=True).update(
        merged_into=keep, version=models.F("version") + 1, updated_at=timezone.now(),
        updated_by=actor)
    if tombstoned != 1:
        raise invalid  # rolls back the links moved above
    duplicate.merged_into = given.merged_into = keep
    audit_record(actor=actor, event="person.merged", target=keep, region_code=keep.region_code,
                 after={"merged": duplicate.pk, "reason": reason[:200], "moved": moved})
    audit_record(actor=actor, event="person.merged_away", target=duplicate,
                 region_code=duplicate.region_code, after={"into": keep.pk})
    return keep


# --- Bulk import -------------------------------------------------------------------------

_OPTIONAL_FIELDS = ("ethnicity", "education", "urban_rural", "phone", "employment_status",
                    "notes")


@dataclass(frozen=True, slots=True)
class SealedPerson:
    """A person's lookup hashes and encrypted protected values, made ahead of the write (an
    import seals its rows in the process that checks them), so the writer only stores them.
    Encrypted values are :func:`~skillplan.core.crypto.encrypt_text` tokens, "" when empty."""

    id_hash: str
    phone_hash: str
    id_number: str
    certificate_number: str
    phone: str


def _sealed_text(value: str) -> str:
    return encrypt_text(value) if value else ""


def seal_person(values: PersonValues) -> SealedPerson:
    return SealedPerson(id_hash_of(values.id_number), phone_hash_of(values.phone),
                        _sealed_text(values.id_number), _sealed_text(values.certificate_number),
                        _sealed_text(values.phone))


# A row of an import, prepared for the write (an import prepares its rows in the process that
# checks them): (line, clear ID number, clear certificate number, clear phone). ``line`` holds
# the new person's database values in the order of _LINE_FIELDS, as one line of PostgreSQL's
# COPY text format (fields joined by tabs, "\\", tab, newline and CR escaped, no final newline):
# one string crosses between processes quickly, becomes a COPY row on PostgreSQL without being
# taken apart, and a person already registered is rebuilt from it (with the clear values).
PreparedPerson = tuple[str, str, str, str]
_LINE_FIELDS = (
    "name", "id_number", "id_hash", "certificate_number", "category", "grade", "gender",
    "birth_date", "ethnicity", "education", "region", "region_code", "urban_rural", "phone",
    "phone_hash", "employment_status", "flags", "notes",
)  # fmt: skip
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def prepare_person(values: PersonValues, seal: SealedPerson | None = None) -> PreparedPerson:
    """``values`` (and their :func:`seal_person`, made here when not given) ready to write."""
    seal = seal or seal_person(values)
    return _prepared(values, seal.id_hash, seal.phone_hash, seal.id_number,
                     seal.certificate_number, seal.phone)


def prepare_persons(values: Sequence[PersonValues]) -> list[PreparedPerson]:
    """``[prepare_person(item) for item in values]``, with the hash keys and the encryption key
    looked up once for all of them."""
    id_hash, phone_hash = lookup_hasher(ID_PURPOSE), lookup_hasher(PHONE_PURPOSE)
    tokens = encrypt_many([text for item in values
                           for text in (item.id_number, item.certificate_number, item.phone)])
    return [_prepared(item, id_hash(item.id_number), phone_hash(item.phone) if item.phone else "",
                      tokens[3 * index], tokens[3 * index + 1], tokens[3 * index + 2])
            for index, item in enumerate(values)]


def _prepared(values: PersonValues, id_hash: str, phone_hash: str, id_token: str,
              certificate_token: str, phone_token: str) -> PreparedPerson:
    fields = (values.name, id_token, id_hash, certificate_token, values.category,
              values.grade, values.gender, values.birth_date.isoformat(), values.ethnicity,
              values.education, str(values.region.id), values.region.code, values.urban_rural,
              phone_token, phone_hash, values.employment_status, str(values.flags),
              values.notes)
    line = "\t".join(fields)
    if line.count("\t") != len(fields) - 1 or "\\" in line or "\n" in line or "\r" in line:
        line = "\t".join(field.translate(_COPY_ESCAPES) for field in fields)
    return line, values.id_number, values.certificate_number, values.phone


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda match: _COPY_UNESCAPES[match.group(1)], text)


def _line_fields(line: str) -> list[str]:
    """The text values of a prepared line, unescaped."""
    fields = line.split("\t")
    return [_unescape(field) for field in fields] if "\\" in line else fields


def _rebuild(prepared: PreparedPerson, fields: list[str], regions: Mapping[str, RegionRef]
             ) -> PersonValues:
    """The values a prepared row was made from (``fields``: its line's, unescaped)."""
    _line, id_number, certificate_number, phone = prepared
    return PersonValues(
        fields[0], id_number, certificate_number, fields[4], fields[5], fields[6],
        date.fromisoformat(fields[7]), regions[fields[11]], fields[8], fields[9], fields[12],
        phone, fields[15], fields[17], int(fields[16]))


def _seal_of(fields: list[str]) -> SealedPerson:
    return SealedPerson(fields[2], fields[14], fields[1], fields[3], fields[13])


# Bulk writes as plain INSERT (COPY on PostgreSQL) / UPDATE ... executemany: Django's
# bulk_create/bulk_update spend most of an import's time compiling SQL per object.

# The columns a new person is inserted with (user and merged_into stay NULL), in the order of
# the tuples _new_row builds.
_INSERT_FIELDS = (
    "name", "id_number", "id_hash", "certificate_number", "category", "grade", "gender",
    "birth_date", "ethnicity", "education", "region", "region_code", "urban_rural", "phone",
    "phone_hash", "employment_status", "flags", "notes", "version", "created_at",
    "updated_at", "created_by", "updated_by",
)  # fmt: skip


def _insert_lines(lines: list[str], *, now: Any, actor_id: int | None) -> None:
    """Insert new persons given as prepared lines (see PreparedPerson), created ``now``."""
    if not lines:
        return
    meta = Person._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _INSERT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs
            actor = "\\N" if actor_id is None else str(int(actor_id))
            stamp = now.isoformat()
            suffix = f"\t1\t{stamp}\t{stamp}\t{actor}\t{actor}\n"
            with connection.wrap_database_errors, cursor.cursor.copy(
                    f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write(suffix.join(lines) + suffix)
            return
        stamp = meta.get_field("created_at").get_db_prep_save(now, connection)
        tail = (1, stamp, stamp, actor_id, actor_id)
        rows = []
        for line in lines:
            fields: list[Any] = _line_fields(line)
            fields[10], fields[16] = int(fields[10]), int(fields[16])  # region id, flags
            rows.append((*fields, *tail))
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(meta.db_table), columns, ", ".join(["%s"] * len(_INSERT_FIELDS)))
        # The driver's own cursor: Django's debug wrapper (DEBUG) would format every row
        # of the batch for its query log. Errors still come as Django's.
        with connection.wrap_database_errors:
            cursor.cursor.executemany(sql, rows)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes a database parameter (None: as it is)."""
    if isinstance(field, EncryptedTextField):
        return lambda value: encrypt_text(str(value)) if value not in (None, "") else value
    if isinstance(field, models.DateTimeField):  # the same few timestamps on every row
        memo: dict[Any, Any] = {}

        def convert(value: Any) -> Any:
            if value not in memo:
                memo[value] = field.get_db_prep_save(value, connection)
            return memo[value]

        return convert
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.CharField | models.TextField | models.IntegerField
                  | models.ForeignKey | models.BooleanField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _params(rows: list[dict[str, Any]], fields: list[models.Field]) -> list[list[Any]]:
    defaults = {f.attname: f.get_default() for f in fields}
    converters = [(f.attname, _converter(f)) for f in fields]
    return [[convert(row.get(name, defaults[name])) if convert is not None
             else row.get(name, defaults[name]) for name, convert in converters]
            for row in rows]


_UPDATE_FIELDS = (*TRACKED_FIELDS, "region_id", "id_hash", "phone_hash", "version",
                  "updated_at", "updated_by_id")


def _update_rows(people: list[Person]) -> None:
    if not people:
        return
    meta = Person._meta
    fields = [meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
              for name in _UPDATE_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(meta.pk.column))
    rows = [{f.attname: getattr(person, f.attname) for f in fields} for person in people]
    params = [[*values, person.pk] for values, person in zip(
        _params(rows, fields), people, strict=True)]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# What the import reads of a known person to tell whether a row changes it (protected values
# are compared through their lookup hashes, the certificate number by decrypting it).
_STORED_COLUMNS = (
    "id", "id_hash", "merged_into_id", "region_code", "name", "certificate_number",
    "category", "grade", "gender", "birth_date", "ethnicity", "education", "urban_rural",
    "phone_hash", "employment_status", "notes", "flags",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Stored:
    """A known person as stored, in database values (birth_date as ISO text)."""

    pk: int
    merged: bool
    region_code: str
    name: str
    certificate_token: str
    category: str
    grade: str
    gender: str
    birth_date: str
    ethnicity: str
    education: str
    urban_rural: str
    phone_hash: str
    employment_status: str
    notes: str
    flags: int


def _unprepared() -> dict[str, Any]:
    """psycopg 3 prepares a statement run often on one connection (server-side binding)."""
    try:
        from django.db.backends.postgresql.psycopg_any import is_psycopg3
    except ImportError:  # no PostgreSQL driver: not on PostgreSQL
        return {}
    return {"prepare": False} if is_psycopg3 else {}


def _existing_by_hash(hashes: list[str]) -> dict[str, _Stored]:
    """The persons already registered under these ID hashes (one query per 900)."""
    existing: dict[str, _Stored] = {}
    meta = Person._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in _STORED_COLUMNS)
    select = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote('id_hash')}"
    postgresql = connection.vendor == "postgresql"
    step = max(len(hashes), 1) if postgresql else 900
    # The driver's own cursor: Django's debug wrapper (DEBUG) would format the thousands of
    # hashes for its query log. Errors still come as Django's.
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor
        for start in range(0, len(hashes), step):
            part = hashes[start:start + step]
            if postgresql:  # one array parameter, not thousands to bind one by one; as
                # the text of an array (hex hashes need no quoting): the driver would dump a
                # list of 2,000 strings item by item. Never as a prepared statement: a generic
                # plan made while the table looked empty scans it for every batch.
                cursor.execute(f"{select} = ANY(%s::text[])", ["{" + ",".join(part) + "}"],
                               **_unprepared())
            else:
                cursor.execute(f"{select} IN ({', '.join(['%s'] * len(part))})", part)
            for (pk, digest, merged_into, region_code, name, certificate, category, grade,
                 gender, birth, ethnicity, education, urban_rural, phone_hash, employment,
                 notes, flags) in cursor.fetchall():
                existing[digest] = _Stored(
                    pk, merged_into is not None, region_code, name, certificate or "",
                    category, grade, gender, str(birth), ethnicity, education, urban_rural,
                    phone_hash, employment, notes, flags)
    return existing


def _unchanged(stored: _Stored, values: PersonValues, seal: SealedPerson,
               keep_blank: bool) -> bool:
    """Whether writing ``values`` would leave the person's tracked fields as they are (what
    _keep_stored + _apply + comparing snapshots decide, without loading the record). The ID
    number is the same: its hash found the person."""
    if not (stored.name == values.name and stored.category == values.category
            and stored.grade == values.grade and stored.gender == values.gender
            and stored.birth_date == values.birth_date.isoformat()
            and stored.region_code == values.region.code):
        return False
    for name in ("ethnicity", "education", "urban_rural", "employment_status", "notes"):
        new = getattr(values, name)
        if (new or not keep_blank) and new != getattr(stored, name):
            return False
    if (values.flags or not keep_blank) and values.flags != stored.flags:
        return False
    if (values.phone or not keep_blank) and seal.phone_hash != stored.phone_hash:
        return False
    certificate = decrypt_text(stored.certificate_token) if stored.certificate_token else ""
    return certificate == values.certificate_number


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, field, code, msg


def _keep_stored(values: PersonValues, person: Person) -> None:
    """Fill the blank optional values of an import row from the stored record."""
    for name in _OPTIONAL_FIELDS:
        if not getattr(values, name):
            setattr(values, name, getattr(person, name))
    if not values.flags:
        values.flags = person.flags


def _updates(to_update: dict[int, tuple[int, PersonValues]], *, keep_blank: bool, now: Any,
             actor_id: int | None) -> tuple[list[Person], list[PendingEvent]]:
    """The known persons that rows change, in file order, with their audit events."""
    people: dict[int, Person] = {}
    pks = list(to_update)
    for start in range(0, len(pks), 900):
        people.update((person.pk, person) for person in Person.objects.filter(
            pk__in=pks[start:start + 900]).order_by())
    changed: list[Person] = []
    events: list[PendingEvent] = []
    for pk, (_row_number, values) in to_update.items():
        person = people[pk]
        if keep_blank:
            _keep_stored(values, person)
        before = _snapshot(person)
        _apply(person, values)
        after = _snapshot(person)
        if before == after:  # _unchanged saw almost all of these already
            continue
        person.version += 1
        person.updated_at, person.updated_by_id = now, actor_id
        changed.append(person)
        old, new = _diff(before, after)
        events.append(PendingEvent("person.updated", "people.person", str(person.pk),
                                   person.masked_name, person.region_code, old, new))
    return changed, events


def persons_import_batch(
    *, actor: Any, rows: Sequence[tuple[int, PersonValues]], dry_run: bool = False,
    today: date | None = None, on_progress: Callable[[int], None] | None = None,
    keep_blank: bool = False, sealed: Mapping[int, SealedPerson] | None = None,
) -> ImportOutcome:
    """Upsert valid rows by ID number in one transaction. Rows outside the actor's scope, or
    hitting a person registered elsewhere, are rejected; the rest are written.

    With ``keep_blank``, a blank optional value (phone, education …) of a known person keeps
    the stored value instead of erasing it (an import file that lacks a column). ``sealed``
    gives, by row number, the rows' hashes and encrypted values already made
    (:func:`seal_person`); rows without are sealed here."""
    if not actor.has_perm(IMPORT_PERSONS):
        raise PermissionDenied
    sealed = sealed or {}
    originals = dict(rows)
    return persons_import_prepared(
        actor=actor, rows=[(number, prepare_person(values, sealed.get(number)))
                           for number, values in rows],
        values_of=lambda number, _prepared, _fields: originals[number], dry_run=dry_run,
        on_progress=on_progress, keep_blank=keep_blank)


def persons_import_prepared(
    *, actor: Any, rows: Sequence[tuple[int, PreparedPerson]],
    regions: Mapping[str, RegionRef] | None = None,
    values_of: Callable[[int, PreparedPerson, list[str]], PersonValues] | None = None,
    dry_run: bool = False, on_progress: Callable[[int], None] | None = None,
    keep_blank: bool = False,
) -> ImportOutcome:
    """:func:`persons_import_batch` for rows already prepared (:func:`prepare_person`): a new
    person's line is inserted as it is; the values of a row matching a registered person are
    rebuilt from it (``regions``: the regions by code) or given by ``values_of``."""
    if not actor.has_perm(IMPORT_PERSONS):
        raise PermissionDenied
    outcome = ImportOutcome()
    scope = scope_of(actor)
    covered: dict[str, bool] = {}
    by_hash: dict[str, tuple[int, PreparedPerson, list[str]]] = {}
    for row_number, prepared in rows:
        fields = prepared[0].split("\t", 12)  # to the region code; hash and code are never
        # escaped (the fields past it are split when the row's values are needed)
        code = fields[11]
        inside = covered.get(code)
        if inside is None:
            inside = covered[code] = scope.covers_region(code)
        if not inside:
            outcome.rejected.append((row_number, "region", "region_out_of_scope", str(_(
                "The household region lies outside your area."))))
            continue
        by_hash[fields[2]] = (row_number, prepared, fields)
    # A savepoint only where a dry run rolls its batch back: an error in a real write rolls
    # back the caller's whole transaction anyway, and on SQLite a savepoint makes every
    # index page written again (into its sub-journal).
    with transaction.atomic(savepoint=dry_run):
        existing = _existing_by_hash(list(by_hash))
        new_lines: list[str] = []
        to_update: dict[int, tuple[int, PersonValues]] = {}
        now = timezone.now()
        actor_id = getattr(actor, "pk", None)
        for digest, (row_number, prepared, fields) in by_hash.items():
            stored = existing.get(digest)
            if stored is None:
                new_lines.append(prepared[0])
                continue
            if stored.merged or not scope.covers_region(stored.region_code):
                outcome.rejected.append((row_number, "id_number", "region_out_of_scope",
                                         str(registered_elsewhere_message())))
                continue
            fields = _line_fields(prepared[0])  # all of them, unescaped
            values = (values_of(row_number, prepared, fields) if values_of is not None
                      else _rebuild(prepared, fields, regions or {}))
            if _unchanged(stored, values, _seal_of(fields), keep_blank):
                outcome.unchanged += 1
            else:
                to_update[stored.pk] = (row_number, values)
        changed, events = _updates(to_update, keep_blank=keep_blank, now=now,
                                   actor_id=actor_id)
        outcome.unchanged += len(to_update) - len(changed)
        outcome.created, outcome.updated = len(new_lines), len(changed)
        if dry_run:
            transaction.set_rollback(True)
            return outcome
        _insert_lines(new_lines, now=now, actor_id=actor_id)
        _update_rows(changed)
        audit_record_many(actor=actor, events=events)
        if on_progress:
            on_progress(len(rows))
    return outcome
