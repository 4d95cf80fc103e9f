"""The JSON API: one NinjaAPI, token-authenticated, one error contract; each app adds a router.

Version 1 lives under /api/v1/. Docs are at /api/docs and the schema at /api/openapi.json
(both without a token: they describe, they do not answer with data).
"""

from ninja import NinjaAPI, Router

from skillplan.api.auth import ApiTokenAuth
from skillplan.api.errors import install_error_handlers

api = NinjaAPI(
    title="skillplan API",
    version="1.0.0",
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    auth=ApiTokenAuth(),
    description=(
        "Send a personal API token (made under Account → API tokens) as "
        "`Authorization: Bearer sp_…`. Every error answers "
        '`{"code", "message", "details": [{"field", "code", "message"}]}`; '
        "lists answer `{\"items\", \"next_cursor\"}` (pass `cursor` for the next page)."
    ),
)
install_error_handlers(api)


def _register_routers(api: NinjaAPI) -> None:
    """Imported here, after the API object exists, so that apps can import from this package."""
    from skillplan.accounts.apis import router as accounts_router
    from skillplan.audit.apis import router as audit_router
    from skillplan.carriers.apis import router as carriers_router
    from skillplan.catalog.apis import router as catalog_router
    from skillplan.certificates.apis import public_router as public_certificates_router
    from skillplan.certificates.apis import router as certificates_router
    from skillplan.people.apis import router as people_router
    from skillplan.providers.apis import router as providers_router
    from skillplan.regions.apis import router as regions_router
    from skillplan.subsidies.apis import router as subsidies_router
    from skillplan.training.apis import router as classes_router
    from skillplan.training.apis_enrolments import router as enrolments_router

    v1 = Router()
    v1.add_router("", accounts_router)
    v1.add_router("/regions", regions_router)
    v1.add_router("/audit", audit_router)
    v1.add_router("/persons", people_router)
    v1.add_router("", providers_router)
    v1.add_router("/carriers", carriers_router)
    v1.add_router("/catalog", catalog_router)
    v1.add_router("/certificates", certificates_router)
    v1.add_router("/public/certificates", public_certificates_router)
    v1.add_router("/classes", classes_router)
    v1.add_router("", enrolments_router)  # /classes/{id}/enrolments, /enrolments/{id}
    v1.add_router("/subsidies", subsidies_router)
    api.add_router("/v1", v1)


_register_routers(api)
