"""Text helpers: the tone-mark convention (GSO's: "Hòa", "Hóa", "Thủy")."""
import pytest

from ntm_analysis.text import fold, gso_tone_marks, other_tone_convention


@pytest.mark.parametrize("other,gso", [
    ("Tỉnh Hoà Bình", "Tỉnh Hòa Bình"), ("Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa"), ("Thuỷ", "Thủy"),
    ("Uỷ ban", "Ủy ban"), ("HOÀ", "HÒA"), ("khoẻ", "khỏe"), ("Hoà Bình + Phú Thọ", "Hòa Bình + Phú Thọ"),
])
def test_other_convention_is_rewritten_and_detected(other, gso):
    assert gso_tone_marks(other) == gso
    assert other_tone_convention(other) != [] and other_tone_convention(gso) == []
    assert fold(other) == fold(gso)


@pytest.mark.parametrize("same", ["Quý", "Hoàng", "Khuyến", "Thủy", "Hòa Bình", "Thuận", "Hà Nội", "Quảng Ngãi",
                                  "Quỳnh"])
def test_words_without_a_movable_mark_are_left_alone(same):
    assert gso_tone_marks(same) == same and other_tone_convention(same) == []
