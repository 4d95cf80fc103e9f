"""The JSON API: one NinjaAPI, each app adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(title="skillplan API", version="1.0.0", urls_namespace="api-1.0.0", docs_url="/docs")
