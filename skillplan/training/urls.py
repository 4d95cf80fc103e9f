from django.urls import path

from skillplan.training.views import attendance, classes, enrolments, imports, inspections, results

app_name = "training"

urlpatterns = [
    # --- classes: list, my classes, create, detail + timeline, transitions (helper: lifecycle)
    path("", classes.class_list, name="list"),
    path("mine/", classes.class_mine, name="mine"),
    path("new/", classes.class_create, name="create"),
    path("late/", classes.class_late, name="late"),
    path("export/", classes.class_export, name="export"),
    path("<int:pk>/", classes.class_detail, name="detail"),
    path("<int:pk>/edit/", classes.class_edit, name="edit"),
    path("<int:pk>/submit/", classes.class_step, {"step": "submit"}, name="submit"),
    path("<int:pk>/approve/", classes.class_step, {"step": "approve"}, name="approve"),
    path("<int:pk>/return/", classes.class_step, {"step": "return"}, name="return"),
    path("<int:pk>/start/", classes.class_step, {"step": "start"}, name="start"),
    path("<int:pk>/end/", classes.class_step, {"step": "end"}, name="end"),
    path("<int:pk>/completion/submit/", classes.class_step, {"step": "submit_completion"},
         name="submit_completion"),
    path("<int:pk>/completion/approve/", classes.class_step, {"step": "approve_completion"},
         name="approve_completion"),
    path("<int:pk>/completion/return/", classes.class_step, {"step": "return_completion"},
         name="return_completion"),
    path("<int:pk>/close/", classes.class_step, {"step": "close"}, name="close"),
    path("<int:pk>/cancel/", classes.class_step, {"step": "cancel"}, name="cancel"),
    path("<int:pk>/evaluator/", classes.class_step, {"step": "assign_evaluator"},
         name="assign_evaluator"),
    # --- enrolments: roster, search and add, participants, withdraw (helper: enrolment)
    path("<int:pk>/roster/", enrolments.roster_page, name="roster"),
    path("<int:pk>/roster/search/", enrolments.roster_search, name="roster_search"),
    path("<int:pk>/roster/enrol/", enrolments.roster_enrol, name="enrol"),
    path("<int:pk>/roster/participants/", enrolments.participant_add, name="participant_add"),
    path("<int:pk>/roster/export/", enrolments.roster_export, name="roster_export"),
    path("enrolments/<int:pk>/withdraw/", enrolments.enrolment_withdraw_view, name="withdraw"),
    # --- attendance, inspections, results, late list (helper: during)
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("<int:pk>/attendance/export/", attendance.attendance_export, name="attendance_export"),
    path("<int:pk>/inspections/", inspections.inspections, name="inspections"),
    path("inspection-files/<int:pk>/", inspections.inspection_file, name="inspection_file"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/results/export/", results.results_export, name="results_export"),
    # --- imports of rosters and results (helper: imports)
    path("<int:pk>/roster/import/", imports.roster_import, name="roster_import"),
    path("<int:pk>/results/import/", imports.results_import, name="results_import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/<uuid:pk>/", imports.import_preview, name="import_preview"),
    path("import/<uuid:pk>/report/", imports.import_report, name="import_report"),
]

__all__ = ["attendance", "classes", "enrolments", "inspections", "results"]
