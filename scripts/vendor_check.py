#!/usr/bin/env python3
"""Re-verify the vendored front-end bundles against the npm registry (`make vendor-check`).

For each bundle in static/vendor/VENDOR.json: fetch the package tarball (`npm pack`, or the tarball
URL directly when npm is not installed), check its sha512 against the recorded npm integrity, and
compare every vendored file byte for byte with its source inside the tarball. Exit 1 on any
difference, so a hand-edited or swapped bundle cannot pass unnoticed.

Needs network access to the npm registry; the offline half (sha256 of every file) runs in the test
suite (apps/core/tests/test_vendor.py)."""

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"


def fetch_tarball(bundle: dict, workdir: Path) -> bytes:
    spec = f"{bundle['package']}@{bundle['version']}"
    npm = shutil.which("npm")
    if npm:
        subprocess.run([npm, "pack", spec, "--pack-destination", str(workdir), "--silent"],
                       check=True, cwd=workdir, stdout=subprocess.DEVNULL)
        packed = sorted(workdir.glob("*.tgz"))
        if len(packed) != 1:
            raise RuntimeError(f"npm pack {spec}: expected one tarball, found {len(packed)}")
        data = packed[0].read_bytes()
        packed[0].unlink()
        return data
    with urllib.request.urlopen(bundle["tarball"], timeout=60) as response:  # noqa: S310 (https, from VENDOR.json)
        return response.read()


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def check_bundle(name: str, bundle: dict, workdir: Path) -> list[str]:
    problems = []
    data = fetch_tarball(bundle, workdir)
    actual = integrity_of(data)
    if actual != bundle["integrity"]:
        return [f"{name}: 压缩包校验值不符 tarball integrity mismatch "
                f"(VENDOR.json {bundle['integrity']}, registry {actual})"]
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for filename, entry in bundle["files"].items():
            local = VENDOR / name / filename
            try:
                member = tar.extractfile(entry["from"])
            except KeyError:
                member = None
            if member is None:
                problems.append(f"{name}/{filename}: 压缩包中没有 {entry['from']} (not in the tarball)")
                continue
            upstream = member.read()
            if not local.exists():
                problems.append(f"{name}/{filename}: 本地缺少该文件 (missing locally)")
            elif local.read_bytes() != upstream:
                problems.append(f"{name}/{filename}: 与 {entry['from']} 内容不一致 (differs from the registry copy)")
            elif hashlib.sha256(upstream).hexdigest() != entry["sha256"]:
                problems.append(f"{name}/{filename}: VENDOR.json 中的 sha256 过期 (recorded sha256 is stale)")
    return problems


def main() -> int:
    manifest = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    problems: list[str] = []
    files = 0
    with tempfile.TemporaryDirectory(prefix="vendor-check-") as tmp:
        for name, bundle in manifest["bundles"].items():
            try:
                found = check_bundle(name, bundle, Path(tmp))
            except (OSError, subprocess.CalledProcessError, RuntimeError, tarfile.TarError) as exc:
                found = [f"{name}: 无法获取 {bundle['package']}@{bundle['version']} (could not fetch): {exc}"]
            files += len(bundle["files"])
            status = "一致 OK" if not found else "不一致 MISMATCH"
            print(f"{name} ({bundle['package']}@{bundle['version']}, {len(bundle['files'])} 个文件 files): {status}")
            problems.extend(found)
    for line in problems:
        print(f"  ✗ {line}")
    if problems:
        print(f"第三方前端包校验失败：{len(problems)} 处问题。Vendored bundles do NOT match the npm registry.")
        return 1
    print(f"第三方前端包校验通过：{len(manifest['bundles'])} 个包、{files} 个文件与 npm 仓库一致。"
          f"All {files} vendored files match the npm registry.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
