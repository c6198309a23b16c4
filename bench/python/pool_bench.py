"""One Python contestant x one workload in a fresh process, printing one JSON line.

    python3 pool_bench.py python|floor-python W1..W6

`python` is multiprocessing.Pool(2); `floor-python` is two bare processes over Pipes, the
channel's own capacity (round-robin, a bounded window in flight so the pipes cannot deadlock).
"""
import json
import math
import multiprocessing as mp
import os
import sys
import time
from multiprocessing.connection import wait

PROCESSES = 2
W1_TASKS, W2_CALLS, W3_TASKS, W3_N, W4_ITEMS = 20_000, 2_000, 32, 27, 1_000_000
W6_ITEMS = int(os.environ.get("BENCH_W6_ITEMS", 10_000_000))
W6_CHUNKSIZE = int(os.environ.get("BENCH_W6_CHUNKSIZE", 1_000))


def inc(x):
    return x + 1


def noop(_x=None):
    return None


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def inc_chunk(items):
    return [x + 1 for x in items]


OPS = [inc, noop, fib, inc_chunk]
CODES = {"inc": 0, "noop": 1, "fib": 2, "incChunk": 3}


def peak_rss():
    def hwm(pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    stat = f.read()
                parents[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                pass
    host = hwm(os.getpid())
    total, todo = host, [os.getpid()]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p:
                total += hwm(child)
                todo.append(child)
    return (total, host) if host else (None, None)


# ---- the two contestants, behind one small interface ---------------------------------------

class PythonPool:
    def __init__(self, n):
        self.pool = mp.Pool(n)

    def call_many(self, task, args):
        fn = OPS[CODES[task]]
        results = [self.pool.apply_async(fn, (a,)) for a in args]
        return [r.get() for r in results]

    def call(self, task, arg):
        return self.pool.apply(OPS[CODES[task]], (arg,))

    def map(self, items):
        return self.pool.map(inc, items)

    def imap(self, source, chunksize):
        return self.pool.imap(inc, source, chunksize)

    imap_note = "imap, chunksize {}"

    def close(self):
        self.pool.terminate()


def _serve(conn):
    while True:
        op, arg = conn.recv()
        conn.send(OPS[op](arg))


class BarePipes:
    WINDOW = 64

    def __init__(self, n):
        self.conns, self.procs = [], []
        for _ in range(n):
            parent, child = mp.Pipe()
            p = mp.Process(target=_serve, args=(child,), daemon=True)
            p.start()
            self.conns.append(parent)
            self.procs.append(p)

    def call_many(self, task, args):
        code, n = CODES[task], len(self.conns)
        # Big chunks: one in flight per worker, or both sides block on full pipes.
        window = 1 if task == "incChunk" else self.WINDOW
        results = [None] * len(args)
        fifos = [[] for _ in self.conns]
        sent = 0
        received = 0
        while received < len(args):
            for i, conn in enumerate(self.conns):
                while sent < len(args) and len(fifos[i]) < window and sent % n == i:
                    conn.send((code, args[sent]))
                    fifos[i].append(sent)
                    sent += 1
            if sent < len(args) and all(len(f) < window for f in fifos):
                continue
            for conn in wait(self.conns):
                i = self.conns.index(conn)
                results[fifos[i].pop(0)] = conn.recv()
                received += 1
        return results

    def call(self, task, arg):
        return self.call_many(task, [arg])[0]

    def map(self, items):
        size = math.ceil(len(items) / (4 * len(self.conns)))
        parts = self.call_many("incChunk", [items[i:i + size] for i in range(0, len(items), size)])
        return [x for part in parts for x in part]

    def imap(self, source, chunksize):
        ahead, inflight, fifos, done = 4 * len(self.conns), 0, [[] for _ in self.conns], False
        turn, order, ready, next_out, seq = 0, 0, {}, 0, 0
        it = iter(source)
        while True:
            while not done and inflight < ahead:
                chunk = [x for _, x in zip(range(chunksize), it)]
                if not chunk:
                    done = True
                    break
                self.conns[turn].send((CODES["incChunk"], chunk))
                fifos[turn].append(seq)
                seq, turn, inflight = seq + 1, (turn + 1) % len(self.conns), inflight + 1
            while next_out in ready:
                inflight -= 1
                yield from ready.pop(next_out)
                next_out += 1
            if done and inflight == 0:
                return
            for conn in wait(self.conns):
                i = self.conns.index(conn)
                ready[fifos[i].pop(0)] = conn.recv()

    imap_note = "hand-rolled: chunks of {} with 8 in flight"

    def close(self):
        for p in self.procs:
            p.kill()


# ---- workloads ------------------------------------------------------------------------------

def warm(pool):
    assert pool.call_many("inc", list(range(100)))[99] == 100


def w1(make):
    pool = make(PROCESSES)
    warm(pool)
    t0 = time.perf_counter()
    values = pool.call_many("inc", list(range(W1_TASKS)))
    seconds = time.perf_counter() - t0
    assert values[-1] == W1_TASKS
    pool.close()
    return {"value": W1_TASKS / seconds, "unit": "tasks/s"}


def w2(make):
    pool = make(PROCESSES)
    warm(pool)
    t0 = time.perf_counter()
    for i in range(W2_CALLS):
        pool.call("noop", i)
    us = (time.perf_counter() - t0) * 1e6 / W2_CALLS
    pool.close()
    return {"value": us, "unit": "µs/call"}


def w3(make):
    pool = make(PROCESSES)
    warm(pool)
    t0 = time.perf_counter()
    values = pool.call_many("fib", [W3_N] * W3_TASKS)
    parallel = time.perf_counter() - t0
    pool.close()
    t1 = time.perf_counter()
    serial = [fib(W3_N) for _ in range(W3_TASKS)]
    serial_s = time.perf_counter() - t1
    assert sum(values) == sum(serial)
    return {"value": serial_s / parallel, "unit": "×", "serialMs": serial_s * 1e3, "parallelMs": parallel * 1e3}


def w4(make):
    pool = make(PROCESSES)
    warm(pool)
    items = list(range(W4_ITEMS))
    t0 = time.perf_counter()
    values = pool.map(items)
    seconds = time.perf_counter() - t0
    assert len(values) == W4_ITEMS and values[-1] == W4_ITEMS
    pool.close()
    return {"value": W4_ITEMS / seconds, "unit": "items/s", "items": W4_ITEMS}


def w5(make):
    t0 = time.perf_counter()
    pool = make(PROCESSES)
    value = pool.call("inc", 1)
    ms = (time.perf_counter() - t0) * 1e3
    assert value == 2
    pool.close()
    return {"value": ms, "unit": "ms"}


def w6(make):
    pool = make(PROCESSES)
    warm(pool)
    t0 = time.perf_counter()
    total = count = 0
    for value in pool.imap(iter(range(W6_ITEMS)), W6_CHUNKSIZE):
        total += value
        count += 1
    seconds = time.perf_counter() - t0
    rss, rss_host = peak_rss()
    assert count == W6_ITEMS and total == W6_ITEMS * (W6_ITEMS + 1) // 2
    pool.close()
    return {"value": W6_ITEMS / seconds, "unit": "items/s", "rss": rss, "rssHost": rss_host, "note": pool.imap_note.format(W6_CHUNKSIZE)}


if __name__ == "__main__":
    contestant, workload = sys.argv[1], sys.argv[2]
    make = PythonPool if contestant == "python" else BarePipes
    runs = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6}
    # W7 (a dynamically sized, bounded pool) and W8 (recycling) have no counterpart here yet.
    result = runs[workload](make) if workload in runs else {"na": f"{workload} is not measured for Python"}
    print(json.dumps(result), flush=True)
    os._exit(0)
