"""The division picker: lazy tree model (qtmodeltester), search by name, 12-digit codes."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from client.domain.divisions import division_tree
from tests.ui.conftest import type_text
from ui.widgets.division_picker import (CODE_ROLE, DivisionPicker, DivisionSearchModel,
                                        DivisionTreeModel)

COUNTY = "610424"  # 乾县


def test_tree_model_is_lazy():
    model = DivisionTreeModel()
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    provinces = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "陕西省" in provinces and "北京市" in provinces
    # Only the expanded branch is loaded.
    shaanxi = model.index(provinces.index("陕西省"), 0)
    assert model.hasChildren(shaanxi) and model.rowCount(shaanxi) == 0
    model.fetchMore(shaanxi)
    assert model.rowCount(shaanxi) > 5
    # (qtmodeltester runs on the rooted model below: on this one it would fetch the whole country)


def test_tree_hides_grouping_levels():
    model = DivisionTreeModel()
    model.fetchMore(QModelIndex())
    beijing = next(model.index(r, 0) for r in range(model.rowCount())
                   if model.index(r, 0).data() == "北京市")
    model.fetchMore(beijing)
    names = [model.index(r, 0, beijing).data() for r in range(model.rowCount(beijing))]
    assert "市辖区" not in names and "东城区" in names


def test_index_of_walks_down_to_a_village():
    tree = division_tree()
    village = tree.villages_of(COUNTY)[0]
    model = DivisionTreeModel(tree)
    idx = model.index_of(village.code12)
    assert idx.isValid() and idx.data(CODE_ROLE) == village.code12
    assert model.index_of("999999999999").isValid() is False


def test_rooted_model_for_a_jurisdiction(qtmodeltester):
    model = DivisionTreeModel(root_code=COUNTY)
    assert model.rowCount() == 1 and model.index(0, 0).data() == "乾县"
    county = model.index(0, 0)
    model.fetchMore(county)
    assert all(model.index(r, 0, county).data(CODE_ROLE).startswith(COUNTY)
               for r in range(model.rowCount(county)))
    qtmodeltester.check(model, force_py=True)


def test_search_model(qtmodeltester):
    tree = division_tree()
    model = DivisionSearchModel(tree)
    model.set_results(tree.search("城关", within=COUNTY))
    assert model.rowCount() >= 1 and "乾县" in model.index(0, 0).data()
    qtmodeltester.check(model, force_py=True)


def test_picker_search_and_choose_by_keyboard(qtbot):
    picker = DivisionPicker(root_code=COUNTY)
    qtbot.addWidget(picker)
    picker.show()
    chosen = []
    picker.sig_code_changed.connect(chosen.append)
    popup = picker.open_popup()
    assert popup.isVisible()
    type_text(popup.search, "城关")
    qtbot.waitUntil(lambda: popup.stack.currentWidget() is popup.result_view, timeout=2000)
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert chosen and len(chosen[0]) == 12 and chosen[0].startswith(COUNTY)
    assert not popup.isVisible()
    assert "城关" in picker.display.text() and "›" in picker.display.text()


def test_picker_reopens_at_current_value_and_clears(qtbot):
    tree = division_tree()
    village = tree.villages_of(COUNTY)[3]
    picker = DivisionPicker()
    qtbot.addWidget(picker)
    picker.show()
    picker.set_code(village.code12)
    assert picker.code() == village.code12 and village.name in picker.display.text()
    popup = picker.open_popup()
    assert popup.tree_view.currentIndex().data(CODE_ROLE) == village.code12
    popup.hide()
    changes = []
    picker.sig_code_changed.connect(changes.append)
    picker.display.setFocus()
    qtbot.keyClick(picker.display, Qt.Key.Key_Delete)
    assert picker.code() is None and changes == [None]


def test_picker_shows_unknown_code():
    picker = DivisionPicker()
    picker.set_code("610424999999")
    assert "代码表中没有" in picker.display.text() and picker.code() == "610424999999"
    picker.deleteLater()
