"""A MARC21 file of N distinct Vietnamese UTF-8 records, each with one 952 holding (a copy), for
the import and search benchmarks. Written with pymarc (the file is what another system would
send: ISO 2709, LDR/09 "a"), kept under var/bench/ and reused while N and the layout stay.

Every record has 020 (a valid ISBN-13), 041, 082, 100, 245 $a $b $c, 250, 264, 300, 490, 520,
650 ×2 and 700; about 940 bytes, the size of the records of the evergreen sample files."""

from __future__ import annotations

import random
from pathlib import Path

import pymarc

LAYOUT = 4  # change when the records change, so that old files are written again


def _words(text: str) -> list[str]:
    return text.split()


SYLLABLES = _words(
    "tiếng việt toán học lịch sử địa lý văn hoá khoa học tự nhiên âm nhạc mĩ thuật đạo đức "
    "công nghệ tin học giáo dục thể chất cuộc sống đường phố dương cầm mùa xuân quê hương "
    "người thầy bạn nhỏ chuyện cổ tích những ngày thơ ấu đất rừng phương nam dế mèn phiêu lưu "
    "ký kính vạn hoa hoàng tử bé thiên nhiên biển đảo sông hồng hà nội huế sài gòn"
)
FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
MIDDLE = _words("Văn Thị Hữu Đức Minh Thanh Ngọc Quang Xuân Thu")
GIVEN = _words("An Bình Chi Dũng Giang Hạnh Khoa Lan Mai Nam Oanh Phúc Quỳnh Sơn Tâm Uyên Vinh")
PUBLISHERS = ("Giáo dục Việt Nam", "Kim Đồng", "Trẻ", "Văn học", "Hội Nhà văn", "Đại học Sư phạm")
SUBJECTS = ("Văn học thiếu nhi", "Lịch sử Việt Nam", "Khoa học", "Kĩ năng sống", "Địa lí")


def isbn13(n: int) -> str:
    body = f"9798{n:08d}"  # 979-8: no Vietnamese book (the demo's are 978-604) shares one
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)}, {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def record(n: int, rng: random.Random) -> pymarc.Record:
    title = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 6))).capitalize()
    author = _name(rng)
    year = rng.randint(1995, 2026)
    publisher = rng.choice(PUBLISHERS)
    r = pymarc.Record(force_utf8=True)
    r.leader = pymarc.Leader("00000nam a2200000 a 4500")
    r.add_field(pymarc.Field(tag="001", data=f"BENCH{n:07d}"))
    r.add_field(pymarc.Field(tag="008", data=f"261201s{year}    vm            000 0 vie d"))

    def field(tag: str, *pairs: str, ind: str = "  ") -> None:
        subs = [pymarc.Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
        r.add_field(pymarc.Field(tag=tag, indicators=pymarc.Indicators(*ind), subfields=subs))

    field("020", "a", isbn13(n), "c", f"{rng.randint(2, 30) * 5000} đ")
    field("041", "a", "vie", ind="0 ")
    field("082", "a", f"{rng.randint(0, 999):03d}.{rng.randint(0, 99)}", "2", "23", ind="04")
    field("100", "a", author, "d", f"{rng.randint(1940, 1995)}-", ind="1 ")
    field(
        "245",
        "a",
        f"{title} /",
        "b",
        f"tập {n + 1} :",  # every record its own (title, author, edition, year)
        "c",
        f"{author.split(', ')[1]} {author.split(', ')[0]} biên soạn.",
        ind="10",
    )
    field("250", "a", f"Tái bản lần thứ {n % 5 + 1}.")
    field("264", "a", "Hà Nội :", "b", f"{publisher},", "c", f"{year}.", ind=" 1")
    field("300", "a", f"{rng.randint(40, 400)} tr. :", "b", "minh hoạ ;", "c", "24 cm.")
    field("490", "a", "Tủ sách " + " ".join(rng.choice(SYLLABLES) for _ in range(2)), ind="0 ")
    field(
        "520",
        "a",
        "Cuốn sách kể về " + " ".join(rng.choice(SYLLABLES) for _ in range(20)) + ".",
    )
    field("650", "a", rng.choice(SUBJECTS), "x", "Việt Nam", "v", "Sách thiếu nhi.", ind=" 7")
    field("650", "a", rng.choice(SUBJECTS), "z", "Hà Nội.", ind=" 7")
    field("700", "a", _name(rng), "e", "dịch.", ind="1 ")
    field("952", "p", f"BC{n:08d}", "o", f"8V{n % 9} {title[:3].upper()}", "g", "45000", "c", "KHO")
    return r


def write_file(path: Path, count: int, *, seed: int = 16) -> Path:
    """Write (or reuse) `path` with `count` records."""
    stamp = path.with_suffix(path.suffix + ".stamp")
    wanted = f"{count} {seed} {LAYOUT}"
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with path.open("wb") as out:
        for n in range(count):
            out.write(record(n, rng).as_marc())
    stamp.write_text(wanted)
    return path


def pymarc_parse_rate(path: Path) -> tuple[int, float]:
    """pymarc's own parse of the whole file (records, seconds): the yardstick of the import."""
    import time

    start = time.perf_counter()
    n = 0
    with path.open("rb") as handle:
        for rec in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True):
            if rec is not None:
                n += 1
    return n, time.perf_counter() - start
