from django.urls import path

from skillplan.subsidies.views import claims as claim_views  # claims helper
from skillplan.subsidies.views import contracts as contract_views  # funds helper
from skillplan.subsidies.views import funds as fund_views  # funds helper
from skillplan.subsidies.views import standards as standard_views  # computation helper

app_name = "subsidies"

urlpatterns: list = [
    # --- standards and computed entitlements (helper: computation)
    path("standards/", standard_views.standards, name="standards"),
    path("standards/new/", standard_views.standard_create, name="standard_create"),
    path("standards/<int:pk>/", standard_views.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/replace/", standard_views.standard_supersede,
         name="standard_supersede"),
    path("classes/<int:pk>/", standard_views.class_entitlements_view,
         name="class_entitlements"),
    path("classes/<int:pk>/compute/", standard_views.class_entitlements_compute,
         name="class_entitlements_compute"),
    # --- claims, review, approval, payments, adjustments (helper: claims)
    path("claims/", claim_views.claim_list, name="claims"),
    path("claims/<int:pk>/", claim_views.claim_detail, name="claim_detail"),
    path("classes/<int:pk>/claim/", claim_views.claim_prepare, name="claim_prepare"),
    path("claims/<int:pk>/submit/", claim_views.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/review/", claim_views.claim_review, name="claim_review"),
    path("claims/<int:pk>/approve/", claim_views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/pay/", claim_views.claim_pay, name="claim_pay"),
    path("claims/<int:pk>/adjust/", claim_views.claim_adjust, name="claim_adjust"),
    # --- purchased services, fund views, anomalies, exports (helper: funds)
    path("contracts/", contract_views.contract_list_view, name="contracts"),
    path("contracts/new/", contract_views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", contract_views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contract_views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/spending/", contract_views.spending_create,
         name="spending_create"),
    path("funds/", fund_views.funds_classes, name="funds_classes"),
    path("funds/providers/", fund_views.funds_providers, name="funds_providers"),
    path("funds/regions/", fund_views.funds_regions, name="funds_regions"),
    path("funds/export/", fund_views.funds_export, name="funds_export"),
    path("funds/anomalies/", fund_views.anomaly_list, name="anomalies"),
]
