"""Pieces of the guarded executor that need no kernel (kernels are tested in tests/nbgrader)."""

from __future__ import annotations

import nbformat

from endtrafficking.grading import execute


def test_notebooks_without_code_need_no_kernel() -> None:
    """Is a notebook of Markdown and empty code cells recognised as having no code?"""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# hi"), nbformat.v4.new_code_cell("  ")]
    )
    assert not execute.has_code(nb)
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    assert execute.has_code(nb)


def test_reflection_notebook_is_returned_unchanged() -> None:
    """Does the executor hand back a code-free notebook untouched, without a kernel?"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("answer")])
    out, resources = execute.GuardedExecute().preprocess(nb, {"x": 1})
    assert out is nb and resources == {"x": 1}


def test_error_output_is_one_plain_sentence() -> None:
    """Is a failed cell's error output a single readable line?"""
    out = execute.error_output("KernelDied", "The kernel stopped.")
    assert out.traceback == ["KernelDied: The kernel stopped."]
    nbformat.validator.validate(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    )


def test_execution_step_is_found() -> None:
    """Is the executing preprocessor found in the course's list, and its absence reported?"""
    steps = [
        "nbgrader.preprocessors.IgnorePattern",
        "endtrafficking.grading.execute.GuardedExecute",
    ]
    assert execute.split_preprocessors(steps)[1] == 1
    try:
        execute.split_preprocessors(steps[:1])
    except ValueError as exc:
        assert "executes" in str(exc)
    else:
        raise AssertionError("no execution step went unnoticed")
