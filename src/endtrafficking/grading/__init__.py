"""Grading the course with nbgrader: graded checkpoints and the instructor's pipeline.

One module per concern:

* :mod:`.checkpoint` - helpers called inside graded notebooks (open an exercise in
  the assignment folder, check the learner's saved work, check an answer's form);
* :mod:`.work_files` and :mod:`.checks` - reading a learner's saved widget work and
  the completeness and consistency criteria the graded cells apply;
* :mod:`.reference` - complete, consistent reference work (a fictional community)
  for validating the sources, the tests and the benchmark;
* :mod:`.limits`, :mod:`.kernel`, :mod:`.sandbox` and :mod:`.execute` - caps on
  memory, CPU, files and processes, a bubblewrap sandbox for every graded kernel, a
  per-cell timeout, and recovery when a submission crashes its kernel;
* :mod:`.verify`, :mod:`.code_answers` and :mod:`.verified` - every autograded cell
  scored in the grader's own process from the submitted files, as plain data, and a
  submission flagged when its kernel disagreed;
* :mod:`.integrity` - one run at a time per course, and a run that stops if
  ``source/``, a submission or another learner's gradebook rows changed;
* :mod:`.parallel` - autograding many learners at once with one gradebook writer;
* :mod:`.collect`, :mod:`.pipeline`, :mod:`.results`, :mod:`.summary`,
  :mod:`.certificates` and :mod:`.progress` - the ``endtrafficking grade`` workflow.

Importing this package has no side effects.
"""
