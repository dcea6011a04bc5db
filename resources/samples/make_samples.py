#!/usr/bin/env python3
"""Writes Transfer Studio's sample corpora: synthetic product reviews in three domains.

Run from anywhere: `python3 resources/samples/make_samples.py`. The output is deterministic
(fixed seed, no third-party packages) and committed beside this script; the demo
(`transfer-studio-cli demo`) and tests import it.

What the shift is made of (see README.md beside this script):
- every domain has its own topic words (books: novel, chapter...; electronics: charger,
  battery...; restaurants: waiter, dessert...), so vocabularies differ;
- sentiment is carried by cue phrases: shared cues ("great", "waste of money") mean the same in
  every domain, domain cues ("page-turner", "overheats", "bland") only occur in their domain;
- a review draws a share of its cues from the shared set and the rest from its domain's set,
  and some reviews carry domain cues only: a model trained on books alone must guess on those
  electronics reviews, while the unlabelled electronics text (where domain cues co-occur with
  shared ones) lets domain-adaptive strategies learn what the new cues mean;
- 3% of labels are flipped (annotation noise), and some sentences are neutral filler.
"""

import os
import random

SEED = 20261126
HERE = os.path.dirname(os.path.abspath(__file__))

SHARED = {
    1: ["great", "excellent", "wonderful", "really love it", "highly recommend it", "very happy with it",
        "the best purchase this year", "worth every penny", "five stars", "exceeded my expectations"],
    0: ["terrible", "awful", "very disappointed", "a waste of money", "the worst purchase this year",
        "poor quality", "i regret buying it", "one star", "would not recommend it", "fell short of my expectations"],
}

DOMAINS = {
    "books": {
        "topics": ["novel", "author", "chapter", "story", "plot", "paperback", "series", "ending", "narrator",
                   "prose", "trilogy", "sequel", "library", "reading group", "biography"],
        1: ["a real page-turner", "beautifully written", "the characters feel alive", "i could not put it down",
            "the twists kept me guessing", "moving and thoughtful", "rich and vivid", "a gripping read"],
        0: ["the plot is predictable", "the characters are flat", "it dragged on forever", "the prose is clumsy",
            "i gave up halfway", "dull and shallow", "the ending made no sense", "a tedious read"],
    },
    "electronics": {
        "topics": ["charger", "battery", "screen", "cable", "headphones", "laptop", "usb port", "speaker",
                   "firmware", "bluetooth", "remote", "adapter", "keyboard", "camera", "case"],
        1: ["the battery lasts for days", "sturdy and well built", "the display is crisp", "it charges fast",
            "it works flawlessly", "pairing was instant", "the sound is crystal clear", "setup took a minute"],
        0: ["the battery died within a week", "it overheats constantly", "it stopped working after a month",
            "flimsy and cheap", "it crashes all the time", "the connection keeps dropping",
            "the sound crackles", "it would not even turn on"],
    },
    "restaurants": {
        "topics": ["waiter", "menu", "dessert", "table", "kitchen", "pasta", "wine list", "chef", "booking",
                   "terrace", "starter", "bill", "portion", "coffee", "bread"],
        1: ["the food was delicious", "the staff were so friendly", "perfectly cooked", "generous portions",
            "a cosy atmosphere", "fresh and tasty", "the service was quick", "we will come back"],
        0: ["the food was bland", "the staff were rude", "it was overcooked", "tiny portions for the price",
            "we waited an hour", "the table was dirty", "the fish was not fresh", "never going back"],
    },
}

FILLER = ["i bought it last month", "it arrived on tuesday", "my sister suggested it", "i have had it for a while",
          "this is my second one", "i read the other reviews first", "the price was about average",
          "it came in a plain box", "we tried it over the weekend", "i use it most days"]

TEMPLATES_TOPIC = ["the {t} is {c}", "as for the {t} , {c}", "{c} , especially the {t}", "about the {t} : {c}",
                   "{c}", "overall {c}", "honestly , {c}"]


def sentence(rng, domain, cue):
    template = rng.choice(TEMPLATES_TOPIC)
    return template.format(t=rng.choice(DOMAINS[domain]["topics"]), c=cue)


def review(rng, domain, label, shared_share, domain_only_share):
    """One review: 2-4 sentiment sentences, 0-2 filler sentences, lower-cased, tokenised."""
    domain_only = rng.random() < domain_only_share
    sentences = []
    for _ in range(rng.randint(2, 4)):
        if not domain_only and rng.random() < shared_share:
            cue = rng.choice(SHARED[label])
        else:
            cue = rng.choice(DOMAINS[domain][label])
        sentences.append(sentence(rng, domain, cue))
    for _ in range(rng.randint(0, 2)):
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(FILLER) + " , the " +
                         rng.choice(DOMAINS[domain]["topics"]) + " is fine")
    return " . ".join(sentences) + " ."


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(row + "\n")


def main():
    rng = random.Random(SEED)
    sizes = {"train": 1000, "test": 300, "unlabeled": 1500}
    for domain in DOMAINS:
        for split, count in sizes.items():
            rows = []
            for _ in range(count):
                label = rng.randint(0, 1)
                text = review(rng, domain, label, shared_share=0.45, domain_only_share=0.35)
                if split == "unlabeled":
                    rows.append(text)
                    continue
                noisy = label if rng.random() >= 0.03 else 1 - label
                rows.append(f"{noisy}\t{text}")
            write(os.path.join(HERE, f"{domain}.{split}.tsv" if split != "unlabeled" else f"{domain}.unlabeled.txt"),
                  rows)


if __name__ == "__main__":
    main()
