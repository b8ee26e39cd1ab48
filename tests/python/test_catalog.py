"""skyfence.load_catalog: the CLI's loader (orbits::load_satellites) from Python, and its errors."""

import os
import shutil
import warnings

import numpy as np
import pytest

import skyfence
from conftest import REPO, STARLINK_TLE

STARLINK_OMM = os.path.join(REPO, "data", "tle", "starlink_2026-03-26.omm.json")


def test_bundled_name_equals_the_file_it_names():
    by_name = skyfence.load_catalog("starlink")
    by_path = skyfence.load_catalog(STARLINK_TLE)
    assert len(by_name) == len(by_path) > 10000
    assert by_name.norad_ids.dtype == np.uint32
    assert np.array_equal(by_name.norad_ids, by_path.norad_ids)
    assert by_name.names == by_path.names
    assert by_name.source == by_path.source == STARLINK_TLE
    assert by_name.epochs.dtype == np.dtype("datetime64[ns]")
    assert len(by_name.epochs) == len(by_name)
    assert "starlink" in skyfence.bundled_catalogs()


def test_epochs_are_the_tle_epochs():
    cat = skyfence.load_catalog(STARLINK_TLE, satellites=["STARLINK-1008"])
    assert cat.names == ["STARLINK-1008"]
    assert cat.norad_ids.tolist() == [44714]
    # 26117.00002315: day 117 of 2026 (April 27) plus 0.00002315 day = 2.00016 s.
    assert cat.epochs[0] == np.datetime64("2026-04-27T00:00:02.000160", "ns")


def test_selection_by_id_and_pattern_keeps_catalog_order():
    cat = skyfence.load_catalog("starlink", satellites=[44718, "STARLINK-1008"])
    assert cat.norad_ids.tolist() == [44714, 44718]
    pattern = skyfence.load_catalog("starlink", satellites="STARLINK-11*")
    assert len(pattern) > 10
    assert all(n.startswith("STARLINK-11") for n in pattern.names)


def test_omm_is_told_from_tle_by_content(tmp_path):
    # The same OMM file under a name that says nothing: read as OMM because it starts with '['.
    disguised = tmp_path / "catalog.txt"
    shutil.copy(STARLINK_OMM, disguised)
    omm = skyfence.load_catalog(STARLINK_OMM)
    same = skyfence.load_catalog(str(disguised))
    assert len(omm) > 1000
    assert np.array_equal(omm.norad_ids, same.norad_ids)
    assert np.array_equal(omm.epochs, same.epochs)


def test_preset_needs_a_start_and_is_generated_at_it():
    with pytest.raises(skyfence.InputError) as info:
        skyfence.load_catalog(preset="kuiper")
    assert info.value.file == "start"
    start = np.datetime64("2026-05-01T00:00:00")
    cat = skyfence.load_catalog(preset="kuiper", start=start)
    assert len(cat) > 100
    assert (cat.epochs == start).all()
    assert cat.source.startswith("preset ")


BAD_TLE = """GOOD-1
1 44714U 19074B   26117.00002315  .00123192  00000+0  24714-2 0  9996
2 44714  53.1543 312.8389 0000942  66.9226 117.3748 15.45800594  5831
BAD-2
1 44718U 19074F   26117.48769100  .00115745  00000+0  23085-2 0  9990
2 44718  53.0538 309.8785 0001247  88.7651 271.3480 15.49021376 23523
"""


def test_bad_record_is_skipped_with_a_located_warning(tmp_path):
    path = tmp_path / "bad.tle"
    path.write_text(BAD_TLE)
    with pytest.warns(skyfence.SkyfenceWarning) as caught:
        cat = skyfence.load_catalog(str(path))
    assert cat.norad_ids.tolist() == [44714]
    assert any(f"{path}:5:" in w for w in cat.warnings), cat.warnings
    assert any(f"{path}:5:" in str(w.message) for w in caught)


def test_bad_record_with_strict_raises_input_error_with_location(tmp_path):
    path = tmp_path / "bad.tle"
    path.write_text(BAD_TLE)
    with pytest.raises(skyfence.InputError) as info:
        skyfence.load_catalog(str(path), strict=True)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.file == str(path)
    assert err.line == 5
    assert "checksum" in err.field
    assert str(err).startswith(f"{path}:5: ")
    assert len(err.issues) == 1 and err.issues[0].line == 5


def test_accept_bad_checksums(tmp_path):
    path = tmp_path / "bad.tle"
    path.write_text(BAD_TLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", skyfence.SkyfenceWarning)
        cat = skyfence.load_catalog(str(path), accept_bad_checksums=True)
    assert cat.norad_ids.tolist() == [44714, 44718]


def test_unknown_catalog_name_lists_the_known_ones():
    with pytest.raises(ValueError) as info:
        skyfence.load_catalog("starlonk")
    assert isinstance(info.value, skyfence.InputError)
    assert "starlink" in str(info.value)


def test_missing_file_and_unmatched_selector():
    with pytest.raises(skyfence.InputError) as info:
        skyfence.load_catalog("/nonexistent/catalog.tle")
    assert "/nonexistent/catalog.tle" in str(info.value)
    with pytest.raises(skyfence.InputError) as info:
        skyfence.load_catalog("starlink", satellites=["NO-SUCH-SATELLITE"])
    assert info.value.file == "satellites"


def test_stale_epochs_are_warned_about_for_the_window():
    start = np.datetime64("2026-06-01T00:00:00")
    with pytest.warns(skyfence.SkyfenceWarning, match="more than 14 days from the window"):
        skyfence.load_catalog("iridium", start=start, stop=start)
    with warnings.catch_warnings():
        warnings.simplefilter("error", skyfence.SkyfenceWarning)
        skyfence.load_catalog("iridium")  # no window: nothing to say yet


def test_data_dir_argument_and_environment(tmp_path, monkeypatch):
    assert os.path.isdir(skyfence.data_dir())
    with pytest.raises(skyfence.InputError):
        skyfence.load_catalog("starlink", data_dir=str(tmp_path))
    monkeypatch.setenv("SKYFENCE_DATA", str(tmp_path))
    assert skyfence.data_dir() == str(tmp_path)
    with pytest.raises(skyfence.InputError):
        skyfence.load_catalog("starlink")
