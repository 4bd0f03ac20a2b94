#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The files listed in tests/layout/formatted.txt follow the committed .clang-format.

Each is checked with `clang-format --dry-run -Werror` (clang-format 14, Debian 12: listed in
docker/debian-packages.txt). A listed file that does not exist is an error (the list follows
the tree). Without clang-format on the machine the check cannot run: exit 77 (SKIP).
Files join the list as they are brought to the style; new files should start on it.

Usage: check_format.py SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys


def main():
    root = os.path.abspath(sys.argv[1])
    exe = shutil.which('clang-format-14') or shutil.which('clang-format')
    if exe is None:
        print('clang-format not found: SKIP')
        sys.exit(77)
    if not os.path.exists(os.path.join(root, '.clang-format')):
        print('no .clang-format at the repository root')
        sys.exit(1)
    with open(os.path.join(root, 'tests', 'layout', 'formatted.txt'), encoding='utf-8') as fh:
        files = [l.strip() for l in fh if l.strip() and not l.startswith('#')]
    bad = []
    for rel in files:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            bad.append(f'{rel}: listed but absent')
            continue
        r = subprocess.run([exe, '--dry-run', '-Werror', '--style=file', path], cwd=root,
                           capture_output=True, text=True)
        if r.returncode != 0:
            first = (r.stderr.strip().splitlines() or ['?'])[0]
            bad.append(f'{rel}: not in the house style ({first})')
    print(f'{exe}: {len(files)} files, {len(bad)} not formatted')
    for b in bad:
        print('  ' + b)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
