"""Permission names of the person registry; granted per role in accounts/roles.py."""

from skillplan.accounts.roles import (  # noqa: F401
    CHANGE_PERSON,
    EXPORT_PERSONS,
    IMPORT_PERSONS,
    MERGE_PERSONS,
    REVEAL_PERSONAL_DATA,
    VIEW_PERSON,
)
