"""Templates 2 and 3 of docs/import-templates.md, through the core import engine:

* the class roster (培训班学员名单), KIND ``enrolments``: 班级编号 + 身份证号 (+ 报名日期) per row,
  each row enrolled through ``services.enrolments.enrol_person`` (eligibility, capacity, audit);
* the completion results (结业成绩), KIND ``completions``: 班级编号 + 身份证号 + 是否合格
  (+ 考核成绩, 证书编号, 出勤天数), each row recorded through ``services.results.results_record``.

Rows name classes by code; a class the importer does not run (or that does not exist) is
``class_unknown`` either way. Uploaded on a class's page the template is configured for that
class (``configure(training_class=pk)``): 班级编号 may then be left out, and a row naming
another class is rejected.

A roster row may carry the person columns of template 1 (姓名, 残疾人证号, 户籍地 …): a person
not yet registered is then registered with the row, through the persons import's own check
(``people.rules.check_person``) and the registry's service (``person_create``), by users who
may import persons. A person already registered is left as they are (the registry is changed
by the persons import or the person's form); a 姓名 given must match the registered name. Each
row is written in its own savepoint: a row whose enrolment fails leaves nothing behind, not
even the person it would have registered.

Importing the same file again changes nothing: a person already enrolled in the class is
``unchanged`` (not an error), and so are results equal to those recorded. In results, a blank
optional cell (score, certificate number, days attended) keeps the recorded value.
"""
from skillplan.training.imports.results import CompletionsTemplate, completions_template_file
from skillplan.training.imports.roster import EnrolmentsTemplate, enrolments_template_file
from skillplan.training.imports.rows import COMPLETION_COLUMNS, ENROLMENT_COLUMNS, SAMPLE_CLASS

__all__ = [
    "COMPLETION_COLUMNS", "ENROLMENT_COLUMNS", "SAMPLE_CLASS", "CompletionsTemplate",
    "EnrolmentsTemplate", "completions_template_file", "enrolments_template_file",
]
