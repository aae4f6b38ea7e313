"""Row objects survive pickling (the cache and the worker pipe) field for field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from pipeline.model import Actor, Event, Quote


def test_quotes_events_and_actors_round_trip_through_pickle() -> None:
    quote = Quote("q1", "a1", "We had no choice", "direct", 10, 26, "Mara Quill", "she", "person",
                  "chair", "p-1", "said", 2, 0.9)
    actor = Actor("Aldwick harbour board", "GB", "government")
    event = Event("e1", "a1", "CONSULT", "meet", None, ("economic",), (actor,), (Actor("x", None, None),),
                  dt.date(2021, 3, 2), None, "day", "on Tuesday", "relative", "asserted", False, "Aldwick",
                  "GB", None, 2, "The board met on Tuesday.", 30, 55, "q1", 0.7, "c1")
    for obj in (quote, actor, event):
        back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is type(obj) and back == obj
        assert dataclasses.asdict(back) == dataclasses.asdict(obj)
    # a changed copy pickles its own values, not the original's
    moved = dataclasses.replace(quote, start_char=11, end_char=27)
    assert pickle.loads(pickle.dumps(moved)).start_char == 11
