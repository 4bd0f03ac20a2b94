#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The layout's rules (README "Layout"), checked two ways.

1. Statically, over every source and header of service/ and include/: each file belongs to one
   folder; each #include "..." names a header of the same folder or of a folder the first may
   depend on (the graph below); service/io/ has no file at its top; include/idverify/ holds only
   the pure core's headers.
2. Through the compiler, with the flags meson gives each library (compile_commands.json): a
   probe that includes a header of a folder above it fails to compile (core including an I/O
   header; read including store), and a control probe with allowed includes compiles, so the
   check can tell the two apart. Core folders share include/idverify/, so between them the
   static check is the enforcement; it is itself checked on a copy of the tree with a planted
   wrong-way include.

Usage: check_layout.py SOURCE_ROOT BUILD_ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# folder -> folders it may include from (itself always). Transitive closure is applied.
DEPENDS = {
    'core/base': [],
    'core/docs': ['core/base'],
    'core/wire': ['core/docs'],
    'core/decide': ['core/wire'],
    'io/sys': ['core/decide'],
    'io/store': ['io/sys'],
    'io/read': ['io/sys'],
    'io/case': ['io/read', 'io/store'],
    'io/worker': ['io/case'],
    'io/http': ['io/store'],
    'io/api': ['io/http', 'io/worker'],
    'io/cmd': ['io/api'],
}
# Core headers without a source of the same name: the folder they belong to.
CORE_HEADER_FOLDER = {'common.h': 'core/base', 'err.h': 'core/base', 'limits.h': 'core/base',
                      'words.h': 'core/docs'}
SOURCE_EXT = ('.c', '.h', '.cc', '.cpp')
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def closure(folder):
    seen, todo = set(), [folder]
    while todo:
        f = todo.pop()
        for d in DEPENDS[f]:
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen | {folder}


def folder_of(root, path):
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == 'service' and rel[1] in ('core', 'io') and len(rel) >= 4:
        return rel[1] + '/' + rel[2]
    return None


def static_check(root):
    errors = []
    core_by_name = {}  # basename of a core source -> its folder
    io_headers = {}    # header basename -> folder
    for base, _dirs, names in os.walk(os.path.join(root, 'service')):
        for n in names:
            p = os.path.join(base, n)
            if not n.endswith(SOURCE_EXT):
                continue
            rel = os.path.relpath(p, root)
            parts = rel.split(os.sep)
            if parts[:2] in (['service', 'io'], ['service', 'core']) and len(parts) == 3:
                errors.append(f'{rel}: a source at the top of {parts[0]}/{parts[1]}/')
                continue
            f = folder_of(root, p)
            if f is None:
                continue
            if f not in DEPENDS:
                errors.append(f'{rel}: folder {f} is not in the layout')
                continue
            if f.startswith('core/'):
                if n.endswith('.h'):
                    errors.append(f'{rel}: core headers live in include/idverify/')
                core_by_name[os.path.splitext(n)[0] + '.h'] = f
            elif n.endswith('.h'):
                if n in io_headers:
                    errors.append(f'{rel}: header name also used in {io_headers[n]}')
                io_headers[n] = f
    core_headers = {}
    incdir = os.path.join(root, 'include', 'idverify')
    for n in sorted(os.listdir(incdir)):
        f = core_by_name.get(n) or CORE_HEADER_FOLDER.get(n)
        if f is None:
            errors.append(f'include/idverify/{n}: no core source of that name; '
                          'an I/O header belongs beside its code')
            continue
        core_headers['idverify/' + n] = f
    files = []
    for base, _dirs, names in os.walk(os.path.join(root, 'service')):
        for n in names:
            if n.endswith(SOURCE_EXT):
                p = os.path.join(base, n)
                if folder_of(root, p):
                    files.append((p, folder_of(root, p)))
    for n in os.listdir(incdir):
        files.append((os.path.join(incdir, n), core_headers.get('idverify/' + n)))
    for p, f in files:
        if f is None:
            continue
        allowed = closure(f)
        with open(p, encoding='utf-8') as fh:
            text = fh.read()
        for inc in INCLUDE_RE.findall(text):
            if inc in core_headers:
                target = core_headers[inc]
            elif inc in io_headers:
                target = io_headers[inc]
            elif inc.startswith('idverify/'):
                errors.append(f'{os.path.relpath(p, root)}: includes {inc}, not a core header')
                continue
            else:
                continue  # generated or local to a folder (web_assets, a .cc's own header)
            if target not in allowed:
                errors.append(f'{os.path.relpath(p, root)} ({f}) includes "{inc}" of {target}: '
                              'a wrong-way dependency')
    return errors, len(files)


def module_cycles(root):
    """Cycles between modules (a module is a source file and the header of the same name; a
    header without a source is a module of its own; X_Y.c and X_Y.h belong to module X when
    module X exists, as a private part of it: store_sqlite.h, extract_residence.c): A depends
    on B when a file of A includes B's header. Returns the cycles found, as module lists."""
    deps = {}
    for base, _dirs, names in os.walk(os.path.join(root, 'service')):
        for n in names:
            if n.endswith(SOURCE_EXT) and folder_of(root, os.path.join(base, n)):
                deps.setdefault(os.path.splitext(n)[0], set())
    paths = []
    for base, _dirs, names in os.walk(os.path.join(root, 'service')):
        paths += [os.path.join(base, n) for n in names if n.endswith(SOURCE_EXT)]
    incdir = os.path.join(root, 'include', 'idverify')
    paths += [os.path.join(incdir, n) for n in os.listdir(incdir)]
    def module(name):
        stem = os.path.splitext(os.path.basename(name))[0]
        head = stem.split('_')[0]
        return head if '_' in stem and head in deps else stem

    for p in paths:
        if not p.startswith(incdir) and folder_of(root, p) is None:
            continue
        mod = module(p)
        with open(p, encoding='utf-8') as fh:
            for inc in INCLUDE_RE.findall(fh.read()):
                target = module(inc)
                if target != mod:
                    deps.setdefault(mod, set()).add(target)
                    deps.setdefault(target, set())
    cycles, state = [], {}

    def visit(m, stack):
        state[m] = 1
        stack.append(m)
        for d in sorted(deps[m]):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(deps):
        if m not in state:
            visit(m, [])
    return cycles


def compile_probe(command, directory, source, text):
    """Compile text with the flags of the compile_commands entry of source: True when it builds."""
    argv = shlex.split(command)
    out = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ('-o', '-MF', '-MQ', '-MT'):
            skip = True
            continue
        if a in ('-c', '-MD') or os.path.normpath(os.path.join(directory, a)) == source:
            continue
        out.append(a)
    with tempfile.NamedTemporaryFile('w', suffix='.c', delete=False) as fh:
        fh.write(text)
        probe = fh.name
    try:
        r = subprocess.run(out + ['-fsyntax-only', probe], cwd=directory,
                           capture_output=True, text=True)
        return r.returncode == 0
    finally:
        os.unlink(probe)


def compiler_check(root, build):
    path = os.path.join(build, 'compile_commands.json')
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as fh:
        cmds = json.load(fh)

    def entry(rel):
        want = os.path.normpath(os.path.join(root, rel))
        for e in cmds:
            if os.path.normpath(os.path.join(e['directory'], e['file'])) == want:
                return e, want
        return None, want

    probes = [
        # (a source of the folder, allowed includes, a wrong-way include)
        ('service/core/docs/residence.c', ['idverify/str.h', 'idverify/words.h'], 'ocr.h'),
        ('service/io/read/extract.c', ['ocr.h', 'config.h', 'idverify/score.h'], 'store.h'),
        ('service/io/store/store.c', ['store.h', 'log.h'], 'cases.h'),
        ('service/io/case/lifecycle.c', ['cases.h', 'store.h', 'extract.h'], 'http.h'),
        ('service/io/http/http.c', ['http.h', 'store.h'], 'api.h'),
    ]
    errors = []
    for rel, good, bad in probes:
        e, src = entry(rel)
        if e is None:
            errors.append(f'{rel}: not in compile_commands.json')
            continue
        body = ''.join(f'#include "{h}"\n' for h in good) + 'int layout_probe;\n'
        if not compile_probe(e['command'], e['directory'], src, body):
            errors.append(f'{rel}: the control probe ({", ".join(good)}) does not compile')
        wrong = f'#include "{bad}"\nint layout_probe;\n'
        if compile_probe(e['command'], e['directory'], src, wrong):
            errors.append(f'{rel}: including "{bad}" compiles: the build does not enforce the layout')
    return errors


def self_test(root):
    """The static check finds a planted wrong-way include (core base including decide)."""
    import shutil
    with tempfile.TemporaryDirectory() as tmp:
        for d in ('service', 'include'):
            shutil.copytree(os.path.join(root, d), os.path.join(tmp, d),
                            ignore=shutil.ignore_patterns('*.png', '*.jpg', '*.pdf'))
        victim = os.path.join(tmp, 'service', 'core', 'base', 'str.c')
        with open(victim, 'a', encoding='utf-8') as fh:
            fh.write('#include "idverify/score.h"\n')
        errors, _ = static_check(tmp)
        return any('str.c' in e and 'score.h' in e for e in errors)


def main():
    root, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    errors, n = static_check(root)
    for c in module_cycles(root):
        errors.append('include cycle between modules: ' + ' -> '.join(c))
    if not self_test(root):
        errors.append('self-test: a planted wrong-way include in the core was not found')
    print(f'static: {n} files, {len(errors)} problems')
    cerr = compiler_check(root, build)
    if cerr is None:
        print('compiler: no compile_commands.json in the build directory; SKIP')
        for e in errors:
            print('  ' + e)
        sys.exit(1 if errors else 77)
    print(f'compiler: {len(cerr)} problems')
    for e in errors + cerr:
        print('  ' + e)
    sys.exit(1 if errors or cerr else 0)


if __name__ == '__main__':
    main()
