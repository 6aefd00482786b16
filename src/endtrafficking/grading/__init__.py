"""Grading the course with nbgrader: graded checkpoints and the instructor's pipeline.

One module per concern:

* :mod:`.checkpoint` - helpers called inside graded notebooks (open an exercise in
  the assignment folder, check the learner's saved work, check an answer's form);
* :mod:`.work_files` and :mod:`.checks` - reading a learner's saved widget work and
  the completeness and consistency criteria the graded cells apply;
* :mod:`.reference` - complete, consistent reference work (a fictional community)
  for validating the sources, the tests and the benchmark;
* :mod:`.limits`, :mod:`.kernel` and :mod:`.execute` - a memory cap and a per-cell
  timeout for every kernel, and recovery when a submission crashes its kernel;
* :mod:`.parallel` - autograding many learners at once with one gradebook writer;
* :mod:`.collect`, :mod:`.pipeline`, :mod:`.results`, :mod:`.summary`,
  :mod:`.certificates` and :mod:`.progress` - the ``endtrafficking grade`` workflow.

Importing this package has no side effects.
"""
