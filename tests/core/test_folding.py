"""The search keys kept folded beside the fields they fold."""

import pytest


def test_a_search_key_follows_its_field_when_only_some_fields_are_saved(db):
    from thuvien.organisations import services
    from thuvien.organisations.models import Unit, UnitKind

    unit = services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở Giáo dục", parent=None)
    unit.name = "Sở Giáo dục và Đào tạo Vĩnh Long"
    unit.save(update_fields=["name"])
    assert Unit.objects.get(pk=unit.pk).name_folded == "so giao duc va dao tao vinh long"


def test_the_fold_maps_the_look_alike_eth_of_imported_data():
    from thuvien.core.folding import fold

    assert fold("\u00d0ường") == fold("Đường") == fold("đường") == fold("dương") == "duong"
    assert fold("\u00f0ảo") == "dao"
    assert fold("đường".encode().decode()) == fold("đ\u01b0\u01a1\u0300ng")  # NFD input


def test_canonical_text_has_one_tone_placement_and_no_eth():
    import unicodedata

    from thuvien.core.folding import canonical

    assert canonical("hòa") == canonical("hoà") == "hoà"
    assert canonical("Thủy") == canonical("Thuỷ") == "Thuỷ"
    assert canonical("khỏe") == "khoẻ"
    assert canonical("họa sĩ") == "hoạ sĩ"
    # Closed syllables and "qu" are written the same in both placements.
    for word in ("hoàn", "thuyền", "quý", "của", "quà", "HOÀNG"):
        assert canonical(word) == word
    assert canonical(unicodedata.normalize("NFD", "Nguyễn Hòa")) == "Nguyễn Hoà"
    assert canonical("\u00d0ình") == "Đình"


def test_canonical_text_is_the_same_from_composed_and_decomposed_input():
    """Composed (NFC) text is checked for an older tone placement without being decomposed;
    decomposed text always is. Both must give the same for every o/u + tone + vowel."""
    import unicodedata

    from thuvien.core.folding import canonical

    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    words = []
    for start in ("h", "th", "q", "Q", "kh", ""):
        for first in "oOuUôƠư":
            for tone in tones:
                for second in "aAeEyYêi":
                    for end in ("", "n", " x", "."):
                        words.append(f"{start}{first}{tone}{second}{end}")
    changed = 0
    for word in words:
        composed = unicodedata.normalize("NFC", word)
        decomposed = unicodedata.normalize("NFD", word)
        assert canonical(composed) == canonical(decomposed), word
        assert unicodedata.is_normalized("NFC", canonical(composed))
        changed += canonical(composed) != composed
    assert changed > 100  # the older placements were found and moved
    assert canonical("hòa bình") == "hoà bình" and canonical("thúy.") == "thuý."


def test_the_fold_drops_every_combining_mark_not_only_the_latin_ones():
    from thuvien.core.folding import fold

    assert fold("a\u20d7b\u0301c") == "abc"  # a combining arrow (U+20D7) and an acute
    assert fold("Ti\u1ebfng Vi\u1ec7t \u2013 L\u1edbp 1") == "tieng viet \u2013 lop 1"


VIETNAMESE_WORDS = [
    "Em",
    "Anh",
    "Ân",
    "Ăn",
    "Đào",
    "Dung",
    "Bình",
    "Êm",
    "dương",
    "đường",
    "Ô mai",
    "Ơn",
    "ông",
    "Uyên",
    "Ưng",
    "yêu",
    "Xuân",
    "ca",
    "cà",
    "cả",
    "cã",
    "cá",
    "cạ",
    "Giang",
    "Hà Nội",
]
ALPHABETICAL = [
    "Anh",
    "Ăn",
    "Ân",
    "Bình",
    "ca",
    "cà",
    "cả",
    "cã",
    "cá",
    "cạ",
    "Dung",
    "dương",
    "Đào",
    "đường",
    "Em",
    "Êm",
    "Giang",
    "Hà Nội",
    "Ô mai",
    "ông",
    "Ơn",
    "Uyên",
    "Ưng",
    "Xuân",
    "yêu",
]


def test_the_sort_key_gives_the_vietnamese_alphabet():
    from thuvien.core.folding import sort_key

    assert sorted(VIETNAMESE_WORDS, key=sort_key) == ALPHABETICAL


@pytest.mark.postgresql  # ICU collations are PostgreSQL's
def test_the_sort_key_agrees_with_postgresqls_icu_vietnamese_collation(db):
    """ICU's `vi` collation (written by others) is the reference; SQLite has no such thing."""
    from django.db import connection

    from thuvien.core.folding import sort_key

    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT w FROM unnest(%s::text[]) AS w ORDER BY w COLLATE "vi-x-icu"',
            [VIETNAMESE_WORDS],
        )
        by_icu = [row[0] for row in cursor.fetchall()]
    assert sorted(VIETNAMESE_WORDS, key=sort_key) == by_icu
