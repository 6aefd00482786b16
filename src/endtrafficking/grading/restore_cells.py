"""nbgrader's OverwriteCells, putting back a deleted test cell after any cell it knows.

Stock ``OverwriteCells.add_missing_grade_cells`` puts a deleted test cell back after
the source cell just before it, and assumes that cell is a grade or solution cell.
In the course's checkpoints a test cell follows a locked question cell (the widget),
so stock nbgrader stops with ``KeyError`` and the whole submission is not graded.
Here the cell goes back after the nearest earlier source cell that is still in the
submission (locked cells included), or first if there is none.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import OverwriteCells


class RestoreCells(OverwriteCells):
    """OverwriteCells whose missing test cells go back after any known earlier cell."""

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Add every missing grade cell back, after the nearest earlier known cell."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        source_ids = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = [_grade_id(c) for c in nb.cells]
            if grade_cell.name in present:
                continue
            self.log.warning(
                "Missing grade cell %s encountered, adding to notebook", grade_cell.name
            )
            index = source_ids.index(grade_cell.name)
            cell = self.missing_cell_transform(
                source_cells[index],
                grade_cell.max_score,
                is_solution=grade_cell.name in solution_ids,
            )
            earlier = [present.index(i) for i in source_ids[:index] if i in present]
            nb.cells.insert(max(earlier) + 1 if earlier else 0, cell)
        return nb, resources


def _grade_id(cell: Any) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
