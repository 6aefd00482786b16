"""Course notebooks are saved without outputs; other notebooks are left alone."""

from __future__ import annotations

import nbformat

from endtrafficking.course_view.save_hook import is_course_notebook, strip_course_outputs


def _course(tmp_path):
    for folder in ("modules", "engage_lessons"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


def _model() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A lesson"),
        nbformat.v4.new_code_cell(
            "x = 1", execution_count=3, outputs=[nbformat.v4.new_output("stream", text="1")]
        ),
        nbformat.v4.new_code_cell("added by the learner", execution_count=4),
    ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {
        "name": "python",
        "version": "3.11.7",
        "mimetype": "text/x-python",
    }
    return {"type": "notebook", "content": dict(nb)}


class Manager:
    def __init__(self, root):
        self.root_dir = str(root)


def test_course_notebook_is_saved_clean(tmp_path):
    """Are outputs, counts and widget state dropped from a module, and the learner's cell kept?"""
    root = _course(tmp_path)
    model = _model()
    strip_course_outputs(model, "modules/03_context.ipynb", Manager(root))
    cells = model["content"]["cells"]
    assert [c.get("outputs", []) for c in cells if c["cell_type"] == "code"] == [[], []]
    assert all(c.get("execution_count") is None for c in cells if c["cell_type"] == "code")
    assert "widgets" not in model["content"]["metadata"]
    assert model["content"]["metadata"]["language_info"] == {"name": "python"}
    assert cells[2]["source"] == "added by the learner"


def test_other_notebooks_keep_their_outputs(tmp_path):
    """Is an instructor's or a learner's own notebook saved as it is?"""
    root = _course(tmp_path)
    (root / "course" / "source").mkdir(parents=True)
    for path in ("course/source/01_strategy/x.ipynb", "my_notes.ipynb", "modules/sub/x.ipynb"):
        model = _model()
        strip_course_outputs(model, path, Manager(root))
        assert model["content"]["cells"][1]["outputs"], path


def test_a_modules_folder_outside_a_course_is_not_touched(tmp_path):
    """Is modules/ in a folder that is not a course (no engage_lessons/) left alone?"""
    (tmp_path / "modules").mkdir()
    assert not is_course_notebook(tmp_path / "modules" / "a.ipynb")
    assert is_course_notebook(_course(tmp_path / "c") / "engage_lessons" / "01_educators.ipynb")


def test_files_and_odd_models_are_ignored(tmp_path):
    """Is a plain file, or a model without content, passed through unchanged?"""
    root = _course(tmp_path)
    model = {"type": "file", "content": "text"}
    strip_course_outputs(model, "modules/a.txt", Manager(root))
    assert model == {"type": "file", "content": "text"}
    strip_course_outputs({"type": "notebook", "content": None}, "modules/a.ipynb", Manager(root))
