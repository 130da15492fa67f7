"""Benchmark of "You might also like" and search on generated corpora; prints JSON.

    .venv/bin/python bench/discovery.py              # 10,000 and 100,000, SQLite and PostgreSQL
    .venv/bin/python bench/discovery.py --sizes 10000 --databases sqlite
    .venv/bin/python bench/discovery.py --small      # the CI size

Each (database, size) runs in a child process on a fresh database (a temporary data folder
for SQLite, a temporary database for PostgreSQL), so settings and connections never leak
between runs. See bench/README.md for what each figure means.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import log, run_all, run_child, start_child, summary

TARGETS = {"related_publish_p99_ms": 100, "precision_at_5": 0.9, "search_p99_ms": 20}


# ---- child: one database, one size -------------------------------------------------------


def child(args: argparse.Namespace) -> dict:
    start_child()
    import corpus
    from django.db.models import F
    from django.utils import timezone

    from tribune.articles.models import Article, Status
    from tribune.discovery import related

    rng = random.Random(args.seed)  # noqa: S311 - sampling, not secrets
    generator = corpus.Generator(args.seed)
    result: dict = {"database": args.database, "articles": args.size}

    started = time.perf_counter()
    generated = list(generator.articles(args.size))
    ids = corpus.insert(generated)
    labels = {pk: g.topic for pk, g in zip(ids, generated, strict=True)}
    result["corpus"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "created_via": "bulk insert of generated articles with rendered revisions "
        "(bench/corpus.py insert): no audit entries, no tasks",
        "german_share": round(sum(g.language == "de" for g in generated) / len(generated), 3),
        "average_words": round(statistics.mean(len(g.body.split()) for g in generated)),
        "topics": len(corpus.TOPICS),
        "vocabulary_overlap": {
            "en": corpus.vocabulary_overlap("en"),
            "de": corpus.vocabulary_overlap("de"),
        },
        "words_from_other_topics": "about 1 in 4 content words (second topic and any topic)",
        "articles_without_topics": round(sum(not g.topics for g in generated) / len(generated), 3),
    }
    del generated
    log(f"[{args.database} {args.size}] corpus in {result['corpus']['seconds']} s")

    # Rebuild: the engine's index, then every article's list (or a timed sample of lists).
    engine = related.engine()
    started = time.perf_counter()
    engine.rebuild(ids)
    index_seconds = time.perf_counter() - started
    log(f"[{args.database} {args.size}] index in {index_seconds:.1f} s")
    analyze_as_autovacuum_would()
    full = args.size <= args.full_rebuild_max
    listed = ids if full else rng.sample(ids, min(args.lists_sample, len(ids)))
    started = time.perf_counter()
    for pk in listed:
        related.store_related(pk, invalidate=False)
    list_seconds = time.perf_counter() - started
    all_lists = list_seconds * len(ids) / len(listed)
    result["rebuild"] = {
        "index_seconds": round(index_seconds, 1),
        "lists_seconds": round(all_lists, 1),
        "total_seconds": round(index_seconds + all_lists, 1),
        "lists_measured": "all" if full else f"{len(listed)} sampled lists, scaled to all",
    }
    log(f"[{args.database} {args.size}] lists: {result['rebuild']}")

    # Precision at 5: share of the top five that share the source's topic label.
    sources = rng.sample(ids, min(args.precision_sample, len(ids)))
    language = dict(Article.objects.values_list("pk", "language").order_by())

    def precision() -> tuple[float, float]:
        hits = total = same_language = 0
        for pk in sources:
            top = [other for other, _score in related.compute_related(pk)[:5]]
            hits += sum(labels.get(other) == labels[pk] for other in top)
            total += len(top)
            same_language += sum(language.get(other) == language[pk] for other in top)
        return round(hits / max(total, 1), 3), round(same_language / max(total, 1), 3)

    p_at_5, same_language = precision()
    boost = related.TOPIC_BOOST
    related.TOPIC_BOOST = 0.0
    content_only, _same = precision()
    related.TOPIC_BOOST = boost
    result["quality"] = {
        "precision_at_5": p_at_5,
        "precision_at_5_without_topic_boost": content_only,
        "same_language_share": same_language,
        "sources": len(sources),
    }
    log(f"[{args.database} {args.size}] quality: {result['quality']}")

    # Publishing: new articles, made public one by one, then the task's work timed.
    fresh = corpus.insert(
        list(generator.articles(args.publish_samples, first=args.size)), published=False
    )
    own, affected = [], []
    for n, pk in enumerate(fresh):
        Article.objects.filter(pk=pk).update(
            status=Status.PUBLISHED, live_revision=F("latest_revision"), published_at=timezone.now()
        )
        started = time.perf_counter()
        engine.index(pk)
        related.store_related(pk, invalidate=False)
        own.append((time.perf_counter() - started) * 1000)
        if n < args.affected_samples:
            started = time.perf_counter()
            related.refresh_related(pk)  # index and own list are current: the others' lists
            affected.append((time.perf_counter() - started) * 1000)
    result["publish"] = {
        "own_list": summary(own),
        "lists_it_changes": summary(affected),
    }
    log(f"[{args.database} {args.size}] publish: {result['publish']}")

    result["search"] = search_figures(args, rng, corpus)
    return result


def analyze_as_autovacuum_would() -> None:
    """On a live site autovacuum analyzes freshly written tables within a minute; a corpus
    bulk-loaded a moment ago and measured at once is analyzed here as it would be. Without
    statistics PostgreSQL's planner takes a common word for a rare one, and a large index
    table for an empty one."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def search_figures(args: argparse.Namespace, rng: random.Random, corpus) -> dict:
    try:
        from tribune.discovery.search import search
    except ImportError as error:
        return {"skipped": f"tribune.discovery.search is not there yet ({error})"}
    from django.core.management import call_command

    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("rebuild_search_index", stdout=quiet, stderr=quiet)
    index_seconds = time.perf_counter() - started
    analyze_as_autovacuum_would()
    queries = []
    for _n in range(args.queries):
        language = "de" if rng.random() < 1 / 3 else "en"
        words = corpus.topic_words(rng.choice(corpus.TOPICS), language)
        queries.append((" ".join(rng.sample(words, rng.randint(1, 3))), language))
    for query, language in queries[:10]:  # warm the connection and caches
        search(query, language=language)
    timings, found = [], []
    for query, language in queries:
        started = time.perf_counter()
        page = search(query, language=language, topic=None, page=1, per_page=10)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(page.total)
    return {
        "index_seconds": round(index_seconds, 1),
        "queries": summary(timings),
        "words_per_query": "1 to 3 words of one topic's vocabulary, a third of them German",
        "queries_with_results": round(sum(n > 0 for n in found) / len(found), 3),
        "examples": [q for q, _l in queries[:5]],
    }


# ---- parent: runs the children -----------------------------------------------------------


def targets_met(result: dict) -> dict:
    met = {}
    if "publish" in result:
        met["related_publish_p99"] = (
            result["publish"]["own_list"]["p99_ms"] < TARGETS["related_publish_p99_ms"]
        )
        met["precision_at_5"] = result["quality"]["precision_at_5"] >= TARGETS["precision_at_5"]
    if "queries" in result.get("search", {}):
        met["search_p99"] = result["search"]["queries"]["p99_ms"] < TARGETS["search_p99_ms"]
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--small", action="store_true", help="the CI size: 300 articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--publish-samples", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--affected-samples",
        type=int,
        default=200,
        help="publications whose effect on other lists is timed too (default 200)",
    )
    parser.add_argument("--precision-sample", type=int, default=500)
    parser.add_argument(
        "--full-rebuild-max",
        type=int,
        default=20_000,
        help="above this size, time a sample of lists and scale it (default 20000)",
    )
    parser.add_argument("--lists-sample", type=int, default=2000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    if args.small:
        args.sizes, args.publish_samples, args.queries, args.precision_sample = [300], 20, 20, 50
        args.affected_samples = 20
    arguments = [
        "--seed", str(args.seed), "--publish-samples", str(args.publish_samples),
        "--queries", str(args.queries), "--affected-samples", str(args.affected_samples),
        "--precision-sample", str(args.precision_sample),
        "--full-rebuild-max", str(args.full_rebuild_max), "--lists-sample", str(args.lists_sample),
    ]  # fmt: skip
    run_all(
        "discovery",
        TARGETS,
        args.sizes,
        args.databases,
        lambda database, size: run_child(__file__, arguments, database, size),
        targets_met,
    )


if __name__ == "__main__":
    main()
