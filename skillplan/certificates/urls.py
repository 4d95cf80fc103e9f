from django.urls import path

from skillplan.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("mine/", views.my_training, name="mine"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf_view, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("classes/<int:pk>/", views.class_certificates, name="class_list"),
    path("persons/<int:pk>/skills/", views.skill_list, name="skill_list"),
    path("persons/<int:pk>/skills/new/", views.skill_create, name="skill_create"),
    path("skills/<int:pk>/delete/", views.skill_delete, name="skill_delete"),
]
