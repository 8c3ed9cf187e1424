"""QueST's generate -> test inputs -> solve work as a distilabel 1.5.3 pipeline, for the pipeline
benchmark (bench/pipeline.sh): the same requests Quarry sends, to the same OpenAI-compatible
server, so requests per second compare the two orchestrations.

Per prompt: one generator request with n=K (K problems), then per problem one test-writer request
and one solver request with n=M -- 1 + 2K requests per prompt, as in Quarry's QueST round. The
chat messages are Quarry's own templates (printed by BenchPromptsMain), so the scripted server
answers both alike. Each LLM step sends up to CONCURRENCY requests at once (its input batch).
Nothing is executed or scored: distilabel has no sandbox, which is why Quarry's side of the
comparison runs with QUARRY_SANDBOX_MODE=scripted.

Usage: distilabel_quest.py --base-url URL --prompts P --k K --m M --concurrency C --cache-dir DIR
(with QUARRY_BENCH_TEMPLATES=FILE, the JSON BenchPromptsMain prints)
Prints one JSON line: prompts, requests expected, seconds (pipeline run, wall clock), rows, and
cpuSeconds (this process and its step processes, start-up included).
"""

import argparse
import json
import os
import resource
import sys
import time
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("DISTILABEL_LOG_LEVEL", "WARNING")

from distilabel.models.llms import OpenAILLM  # noqa: E402
from distilabel.pipeline import Pipeline  # noqa: E402
from distilabel.steps import LoadDataFromDicts, step, StepInput  # noqa: E402
from distilabel.steps.tasks import ChatGeneration  # noqa: E402


def fill(messages, marker, text):
    return [{"role": m["role"], "content": m["content"].replace(marker, text)} for m in messages]


# The templates are read when the module loads: distilabel runs each step in its own process and
# pickles steps by reference, so the steps live at module level and read them from here.
TEMPLATES = json.load(open(os.environ["QUARRY_BENCH_TEMPLATES"])) if "QUARRY_BENCH_TEMPLATES" in os.environ else None


@step(inputs=["generation"], outputs=["problem", "messages"])
def ProblemsToTestWriter(inputs: StepInput):
    # One row per generated problem (distilabel's K generations of one prompt), asking for tests.
    rows = []
    for row in inputs:
        for problem in row["generation"]:
            if problem:
                rows.append({"problem": problem, "messages": fill(TEMPLATES["testWriter"], "@@PROBLEM@@", problem)})
    yield rows


@step(inputs=["problem", "generation"], outputs=["tests", "messages"])
def ProblemToSolver(inputs: StepInput):
    yield [{"problem": row["problem"], "tests": row["generation"], "messages": fill(TEMPLATES["solver"], "@@PROBLEM@@", row["problem"])}
           for row in inputs]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--prompts", type=int, required=True)
    parser.add_argument("--k", type=int, default=4)
    parser.add_argument("--m", type=int, default=2)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--cache-dir", required=True)
    args = parser.parse_args()
    if TEMPLATES is None:
        sys.exit("set QUARRY_BENCH_TEMPLATES to the JSON BenchPromptsMain prints")
    k, m, c = args.k, args.m, args.concurrency

    def llm(max_tokens, temperature):
        return OpenAILLM(
            model="scripted",
            base_url=args.base_url,
            api_key="unused",
            timeout=600,
            max_retries=3,
            generation_kwargs={"max_new_tokens": max_tokens, "temperature": temperature, "top_p": 0.95},
        )

    data = [{"messages": fill(TEMPLATES["generator"], "@@CONCEPT@@", f"concept {i}")} for i in range(args.prompts)]
    with Pipeline(name="quest-shape", cache_dir=args.cache_dir) as pipeline:
        load = LoadDataFromDicts(data=data, batch_size=c)
        # num_generations goes out as n in one request (OpenAILLM): K problems, as Quarry's
        # generator asks for them; M rollouts, as its solver does.
        generate = ChatGeneration(name="generate", llm=llm(320, 0.9), num_generations=k, group_generations=True, input_batch_size=c)
        to_tests = ProblemsToTestWriter(name="to_tests", input_batch_size=c)
        tests = ChatGeneration(name="tests", llm=llm(256, 0.7), input_batch_size=c)
        to_solver = ProblemToSolver(name="to_solver", input_batch_size=c)
        solve = ChatGeneration(name="solve", llm=llm(384, 0.7), num_generations=m, group_generations=True, input_batch_size=c)
        load >> generate >> to_tests >> tests >> to_solver >> solve

    started = time.time()
    distiset = pipeline.run(use_cache=False)
    seconds = time.time() - started
    rows = sum(len(split) for split in distiset["default"].values()) if distiset else 0
    # CPU of this process and its step processes (reaped by now), start-up and imports included.
    cpu = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))
    print(json.dumps({"prompts": args.prompts, "requests": args.prompts * (1 + 2 * k), "seconds": round(seconds, 2),
                      "rows": rows, "cpuSeconds": round(cpu, 2)}))


if __name__ == "__main__":
    sys.exit(main())
