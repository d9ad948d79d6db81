/*
 * Replays a kvm-like event script through the vkvm UST tracepoints, in real time.
 *
 * usage: vkvm-replay SCRIPT
 * SCRIPT lines: `AT_US CPU KIND ARGS...` (AT_US: microseconds from the start; CPU: simulated
 * CPU index, each replayed by its own thread pinned to one allowed CPU so packets carry a
 * matching cpu_id), KIND one of
 *   E vcpu_id                                   kvm_entry
 *   X exit_reason guest_rip                     kvm_exit
 *   S prev_comm prev_tid prev_state next_comm next_tid   sched_switch
 *   P tid pid ppid name                         lttng_statedump_process_state
 * Lines of one CPU must be in time order; a CPU's thread that falls behind shifts the rest of
 * its lines rather than bunching them. Prints "ready" once registered, "done" at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "vkvm-tp.h"

#define MAX_CPUS 8

struct line {
	long long at_us;
	char kind;
	char s1[16], s2[16];
	long long a, b, c, d;
};

struct cpu_script {
	int index;
	int pin;
	struct line *lines;
	size_t n, cap;
};

static struct cpu_script cpus[MAX_CPUS];
static struct timespec start;

static void push(struct cpu_script *c, struct line *l)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->lines = realloc(c->lines, c->cap * sizeof(*l));
		if (!c->lines) { perror("realloc"); exit(1); }
	}
	c->lines[c->n++] = *l;
}

/* Sleeps until AT_US after the start; returns how late it woke (µs). */
static long long sleep_until(long long at_us)
{
	struct timespec t = start, now;
	t.tv_sec += at_us / 1000000;
	t.tv_nsec += (at_us % 1000000) * 1000;
	if (t.tv_nsec >= 1000000000) { t.tv_sec++; t.tv_nsec -= 1000000000; }
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {}
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t.tv_sec) * 1000000LL + (now.tv_nsec - t.tv_nsec) / 1000;
}

static void *run_cpu(void *arg)
{
	struct cpu_script *c = arg;
	if (c->pin >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(c->pin, &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) fprintf(stderr, "cannot pin to cpu %d\n", c->pin);
	}
	/*
	 * A thread that wakes late (a busy machine) shifts the rest of its script instead of
	 * catching up: the spacing of events, i.e. the durations the rules measure, is kept.
	 */
	long long shift = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct line *l = &c->lines[i];
		long long late = sleep_until(l->at_us + shift);
		if (late > 1000) shift += late;
		switch (l->kind) {
		case 'E': lttng_ust_tracepoint(vkvm, kvm_entry, (uint32_t) l->a); break;
		case 'X': lttng_ust_tracepoint(vkvm, kvm_exit, (uint32_t) l->a, (uint64_t) l->b, 1, 0, 0); break;
		case 'S': lttng_ust_tracepoint(vkvm, sched_switch, l->s1, (int32_t) l->a, 120, (int64_t) l->b, l->s2, (int32_t) l->c, 120); break;
		case 'P': lttng_ust_tracepoint(vkvm, lttng_statedump_process_state, (int32_t) l->a, (int32_t) l->b, (int32_t) l->c, l->s1); break;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) { fprintf(stderr, "usage: %s SCRIPT\n", argv[0]); return 2; }
	FILE *f = fopen(argv[1], "r");
	if (!f) { perror(argv[1]); return 1; }
	char buf[256];
	int lineno = 0;
	while (fgets(buf, sizeof buf, f)) {
		struct line l;
		int cpu;
		memset(&l, 0, sizeof l);
		lineno++;
		if (buf[0] == '#' || buf[0] == '\n') continue;
		if (sscanf(buf, "%lld %d %c", &l.at_us, &cpu, &l.kind) != 3 || cpu < 0 || cpu >= MAX_CPUS) {
			fprintf(stderr, "%s:%d: expected AT_US CPU KIND ...\n", argv[1], lineno);
			return 1;
		}
		char *rest = strchr(strchr(strchr(buf, ' ') + 1, ' ') + 1, ' ');
		rest = rest ? rest + 1 : buf + strlen(buf);
		int ok;
		switch (l.kind) {
		case 'E': ok = sscanf(rest, "%lld", &l.a) == 1; break;
		case 'X': ok = sscanf(rest, "%lld %lli", &l.a, &l.b) == 2; break;
		case 'S': ok = sscanf(rest, "%15s %lld %lli %15s %lld", l.s1, &l.a, &l.b, l.s2, &l.c) == 5; break;
		case 'P': ok = sscanf(rest, "%lld %lld %lld %15s", &l.a, &l.b, &l.c, l.s1) == 4; break;
		default: ok = 0;
		}
		if (!ok) { fprintf(stderr, "%s:%d: bad arguments for kind %c\n", argv[1], lineno, l.kind); return 1; }
		push(&cpus[cpu], &l);
	}
	fclose(f);

	cpu_set_t allowed;
	int pins[MAX_CPUS], npins = 0;
	if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
		for (int i = 0; i < CPU_SETSIZE && npins < MAX_CPUS; i++) if (CPU_ISSET(i, &allowed)) pins[npins++] = i;
	printf("ready\n");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_t th[MAX_CPUS];
	int started = 0;
	for (int i = 0; i < MAX_CPUS; i++) {
		if (cpus[i].n == 0) continue;
		cpus[i].index = i;
		cpus[i].pin = npins > 0 ? pins[i % npins] : -1;
		pthread_create(&th[started++], NULL, run_cpu, &cpus[i]);
	}
	for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
	printf("done\n");
	fflush(stdout);
	return 0;
}
