#!/usr/bin/env python3
"""What the JVM did during each wrk run of a bench script: deoptimizations, long compilations and GC pauses of a Java
Flight Recorder file, split by the runs a bench log names ("[bench HH:MM:SS] wrk -t2 -c64 -d20s ... (label)").

    BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/rec-%p.jfr,settings=profile,dumponexit=true" \\
        bench/overload.sh >/tmp/overload.md 2>/tmp/overload.log
    bench/jfr_windows.py /tmp/rec-<data plane pid>.jfr /tmp/overload.log

Prints a markdown table, one row per run, then the methods deoptimized most often in each run. Uses the `jfr` tool of
$JAVA_HOME (or the one on PATH). Compilations are the ones the recording kept (the profile settings keep those over
100 ms). The log's times are whole seconds of the local clock, so a run's first second may hold events of the run
before it. Needs Python 3.11 or newer (JFR's nanosecond timestamps).
"""
import collections
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

RUN = re.compile(r'\[bench (\d\d):(\d\d):(\d\d)\] wrk -t\d+ -c(\d+) -d(\d+)s.*\((\S+)\)\s*$')
DURATION = re.compile(r'PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$')


def jfr_tool():
    home = os.environ.get('JAVA_HOME')
    if home and os.access(os.path.join(home, 'bin', 'jfr'), os.X_OK):
        return os.path.join(home, 'bin', 'jfr')
    found = shutil.which('jfr')
    if not found:
        sys.exit('jfr_windows: no jfr tool (set JAVA_HOME to a JDK)')
    return found


def runs(log_path):
    """(label, connections, first second of the day, last second) for each wrk run of the log"""
    out = []
    with open(log_path) as log:
        for line in log:
            m = RUN.match(line)
            if m:
                start = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
                out.append((m.group(6), int(m.group(4)), start, start + int(m.group(5))))
    if not out:
        sys.exit('jfr_windows: no "[bench HH:MM:SS] wrk ... (label)" lines in ' + log_path)
    return out


def millis(iso_duration):
    m = DURATION.match(iso_duration or '')
    if not m:
        return 0.0
    h, mi, s = m.groups()
    return ((int(h or 0) * 60 + int(mi or 0)) * 60 + float(s or 0)) * 1000


def events(tool, recording, kind):
    text = subprocess.run([tool, 'print', '--json', '--stack-depth', '1', '--events', kind, recording],
                          capture_output=True, text=True, check=True).stdout
    return json.loads(text)['recording']['events']


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: jfr_windows.py RECORDING.jfr BENCH_LOG')
    recording, log_path = sys.argv[1], sys.argv[2]
    tool = jfr_tool()
    windows = runs(log_path)

    def window(start_time):
        t = datetime.datetime.fromisoformat(start_time).astimezone()  # JFR writes UTC; the bench log, local time
        second = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
        for label, _, first, last in windows:
            if first <= second < last:
                return label
        return None

    deopts = collections.Counter()
    deopt_methods = collections.defaultdict(collections.Counter)
    for e in events(tool, recording, 'jdk.Deoptimization'):
        v = e['values']
        w = window(v['startTime'])
        if w:
            deopts[w] += 1
            method = v['method']['type']['name'].split('/')[-1] + '.' + v['method']['name']
            deopt_methods[w][method + ' (' + str(v.get('reason')) + ')'] += 1
    def count_and_sum(kind, duration_field):
        """per run: how many events of KIND, and the sum of their DURATION_FIELD in ms"""
        counts, total_ms = collections.Counter(), collections.defaultdict(float)
        for e in events(tool, recording, kind):
            v = e['values']
            w = window(v['startTime'])
            if w:
                counts[w] += 1
                total_ms[w] += millis(v.get(duration_field))
        return counts, total_ms

    compilations, compile_ms = count_and_sum('jdk.Compilation', 'duration')
    collections_, pause_ms = count_and_sum('jdk.GarbageCollection', 'sumOfPauses')

    print('| run | connections | deoptimizations | compilations kept (ms) | GCs | GC pauses ms |')
    print('|---|---:|---:|---:|---:|---:|')
    for label, conns, _, _ in windows:
        print(f'| {label} | {conns} | {deopts[label]} | {compilations[label]} ({compile_ms[label]:.0f}) '
              f'| {collections_[label]} | {pause_ms[label]:.0f} |')
    print()
    for label, _, _, _ in windows:
        if deopt_methods[label]:
            top = ', '.join(f'{m} {n}' for m, n in deopt_methods[label].most_common(4))
            print(f'- {label}: {top}')


if __name__ == '__main__':
    main()
