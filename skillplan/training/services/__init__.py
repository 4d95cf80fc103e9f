"""Every write of the training app, one module per part of a class's life:

- ``classes``: the lifecycle (create, change, submit, approve/return, start, end, completion,
  close, cancel) and class codes;
- ``enrolments``: the roster (registered persons and named participants), eligibility, capacity,
  withdrawal;
- ``attendance``, ``inspections``: what happens during the class;
- ``results``: completion results per trainee and the timeliness of their entry;
- ``steps``: the timeline row every transition writes.
"""
