"""The words the risk detector looks for, and the context that cancels or raises them.

Everything here is data: a list of :class:`Rule` (one phrase pattern each, with what it catches,
why it has its level, and examples it must catch) and the context patterns (negation, past tense
and recovery talk, stories in films and the news, figures of speech). ``safeguarding/detector.py``
applies them; docs/risk-detection.md explains the design. Pure Python, no Django.

How the patterns are written
----------------------------
The detector matches against a *normalised* copy of the text: lower case, every kind of apostrophe
turned into ``'``, every dash into ``-``, line breaks into ``\\n`` and other white space into
spaces. The copy has exactly as many characters as the original, so a match can always be shown
as the person wrote it.

Patterns are regular expressions with four conveniences, applied by :func:`expand`:

* an apostrophe is optional (``don't`` also matches ``dont``; ``i'm`` matches ``im``);
* a space matches one or more spaces (``kill  myself``);
* `` to `` also matches `` 2 `` (``want 2 die``);
* ``{name}`` inserts a shared fragment from :data:`FRAGMENTS` (pronouns, medicines, numbers...).

To keep matching fast and safe from runaway backtracking, patterns never use ``.``, ``\\s`` or
unbounded gaps: a gap between words is at most eight words (``{gap3}``, ``{gap8}``...), and words
never cross a full stop or a line break, so every pattern stays within one sentence.

Each rule also lists ``keys``: plain substrings separated by ``|``, one of which every match
contains. A message is only tried against the rules whose keys it contains, which is what keeps
the detector fast. The tests check each rule's ``examples`` and compare the result with one that
tries every rule, which is how a missing key is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Level names as plain strings (detector.RiskLevel has the same values).
CONCERN = "concern"
HIGH = "high"
URGENT = "urgent"

# Category names as plain strings (detector.Category has the same values).
SUICIDAL = "suicidal_thoughts"
SELF_HARM = "self_harm"
PLAN = "plan_or_means"
HARM_OTHERS = "harm_to_others"
ABUSE = "abuse_or_unsafe_home"
EATING = "not_eating_or_purging"
PSYCHOSIS = "psychosis_command_to_harm"
INTOXICATION = "intoxication_with_risk"

# Modifiers: rules that are not a sign of risk by themselves but change what another sign means
# (see ``COMBINATIONS`` in the detector): being very drunk, someone dangerous being here now,
# saying goodbye, going round to someone now.
INTOXICATED = "intoxicated"
DANGER_NOW = "danger_now"
GOODBYE = "goodbye"
GOING_NOW = "going_now"
MODIFIERS = (INTOXICATED, DANGER_NOW, GOODBYE, GOING_NOW)

# Farewell words are a concern on their own ("none of this is your fault" is also what a mentor
# says); with any other sign of suicidal thinking or a plan, the message is a goodbye: urgent.
FAREWELL_RULES = ("farewell", "if_anything_happens")


# Shared fragments ------------------------------------------------------------------------------

FRAGMENTS: dict[str, str] = {
    # Up to N words between two parts of a phrase ("I keep thinking about ...").
    "gap1": r"(?:[\w'-]+,? +)?",
    "gap2": r"(?:[\w'-]+,? +){0,2}",
    "gap3": r"(?:[\w'-]+,? +){0,3}",
    "gap5": r"(?:[\w'-]+,? +){0,5}",
    "gap8": r"(?:[\w'-]+,? +){0,8}",
    # The writer, written in the usual ways.
    "im": r"(?:i'?m|i +am|iam)",
    "ive": r"(?:i'?ve|i +have|ive|i'?ve +got|i +have +got|i +got)",
    "ill": (
        r"(?:i'?ll|i +will|i +wil|i'?m +(?:going +(?:to|2)|gonna|gunna|about +to)|i +am +going"
        r" +to|i +am +about +to)"
    ),
    # Reflexive pronouns: the writer or someone they are telling us about.
    "self": (
        r"(?:my +self|myself|myslef|mysefl|meself|me +self|himself|him +self|herself|her +self"
        r"|themselves|themself|them +self|urself|yourself)"
    ),
    "myself": r"(?:my +self|myself|myslef|mysefl|meself|me +self)",
    # Wanting: want to, wanna, wanted to, want 2.
    "want_to": r"(?:want(?:s|ed|ing)? +(?:to|2)|wanna|wana|wan +2|wnt +(?:to|2))",
    # Medicines and pills, with common misspellings.
    "pills": (
        r"(?:pills?|pils|tablets?|tabs|meds|medication|medicines?|paracetamol|paracetomol"
        r"|parecetamol|paracetemol|paracetamols|co-?codamol|codeine|ibuprofen|aspirin"
        r"|pain(?: )?killers?|sleeping +(?:pills|tablets)|sleepers|anti-?depressants?|insulin"
        r"|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|olanzapine|lithium|diazepam"
        r"|zopiclone|amitriptyline|propranolol|tramadol|morphine)"
    ),
    # People someone might hurt or be hurt by.
    "relative": (
        r"(?:dad|father|mum|mam|mom|mother|step-?dad|step-?mum|brother|sister|partner|husband"
        r"|wife|boyfriend|girlfriend|bf|gf|ex|son|daughter|kids?|children|child|baby|boss"
        r"|manager|neighbour|flatmate|housemate|landlord|teacher|friend|mate|colleague|uncle"
        r"|aunt|auntie|nan|grandad|grandma|cousin|carer|foster +(?:dad|mum|parents?))"
    ),
    "person": (
        r"(?:him|her|them|someone|somebody|some +one|anyone|anybody|people|everyone|that +(?:guy"
        r"|man|woman|lad|girl|bloke)|(?:my|his|her|their|the|that) +{relative})"
    ),
    # Someone at home who may be hurting the writer.
    "abuser": (
        r"(?:he|she|they|(?:my +|mum'?s +|dad'?s +|her +|his +|me +)?(?:dad|father|mum|mother"
        r"|step-?dad|step-?mum|partner|husband|wife|boyfriend|girlfriend|bf|gf|ex|brother"
        r"|sister|uncle|carer|foster +(?:dad|mum)|landlord|flatmate|housemate))"
    ),
    "victim": (
        r"(?:me|us|her|him|them|my +(?:mum|mam|dad|sister|brother|kids|children|baby|son"
        r"|daughter|little +(?:brother|sister)))"
    ),
    "number": (
        r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
        r"|thirty|forty|fifty|a +few|several|a +couple +of|a +couple|loads +of|a +load +of"
        r"|a +lot +of|a +handful +of|a +packet +of|a +box +of|a +bottle +of|(?:a|the) +whole"
        r" +(?:box|packet|bottle|strip|pack|tub)(?: +of)?|all +(?:of +)?(?:my"
        r"|the|her|his|their)|every|all)"
    ),
    "days": (
        r"(?:(?:over +|more +than +|about +|nearly +|almost +|like +)?(?:\d{1,2}|two|three|four"
        r"|five|six|seven|a +few|several|many|couple +of|a +couple +of) +days|(?:over +|more"
        r"+than +|about +|nearly +|almost +)?(?:a|one|two|three|\d) +weeks?|ages|days)"
    ),
    "weekday": r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|last +week)",
    "spirits": (
        r"(?:vodka|gin|whisk(?:e)?y|rum|wine|spirits|tequila|brandy|cider|lager|beer|booze"
        r"|jack|jäger|jager|sambuca)"
    ),
    "high_place": (
        r"(?:bridge|cliff(?: +edge)?|edge(?! +of +(?!the +(?:cliff|roof|bridge|building|platform"
        r"|car +park|tracks|balcony|multi)))|roof(?! +terrace| +garden| +bar)|rooftop|ledge"
        r"|railway(?: +line)?|train +tracks"
        r"|tracks|platform +edge|balcony|top +floor|multi-?storey|river|canal|sea|lake"
        r"|reservoir|quarry|docks?|harbour|pier|weir|motorway)"
    ),
    "blade": (
        r"(?:knife|knives|blade|blades|razor|razors|razor +blades?|scissors|glass)(?! +(?:block"
        r"|set|drawer|sharpener|rack|stand|holder|of +(?:water|wine|milk|juice)))"
    ),
}


def _words(template: str) -> str:
    """Optional apostrophes, one or more spaces, "2" for "to" (written once, either way)."""
    template = template.replace(" +", " ").replace(" *", "\x00").replace("'?", "'")
    template = template.replace("'", "'?").replace(" to ", " (?:to|2) ").replace(" ", " +")
    return template.replace("\x00", " *")


_FRAGMENT_PATTERNS = {name: _words(fragment) for name, fragment in FRAGMENTS.items()}


def expand(template: str) -> str:
    """Turn a rule's template into a regular expression (see the module docstring)."""
    pattern = _words(template)
    for _ in range(3):  # fragments may use other fragments
        for name, fragment in _FRAGMENT_PATTERNS.items():
            pattern = pattern.replace("{" + name + "}", fragment)
    return pattern


# Rules -----------------------------------------------------------------------------------------

# Key words shared by several rules (see Rule.keys): medicines and blades as written.
PILL_KEYS = (
    "pill|pils|tablet|tabs|meds|medication|medicine|paracetam|paracetom|parecetam|paracetem"
    "|codamol|codeine|ibuprofen|aspirin|killer|sleeping|sleepers|depressant|insulin|sertraline"
    "|citalopram|fluoxetine|mirtazapine|quetiapine|olanzapine|lithium|diazepam|zopiclone"
    "|amitriptyline|propranolol|tramadol|morphine"
)
BLADE_KEYS = "knife|knives|blade|razor|scissors|glass"


@dataclass(frozen=True)
class Rule:
    """One phrase pattern.

    ``level`` is what the phrase means on its own; ``category`` the kind of risk (or, for a
    modifier, ``tag`` names it and ``level`` is empty). Context switches:

    * ``negatable``: a "not", "never", "don't"... just before it cancels it ("I'd never hurt
      myself"). Off when the negation is part of the risk ("I don't want to be here anymore").
    * ``past``: talk of the past or of recovery in the same sentence cancels it ("I used to cut",
      "two years since I last self-harmed"), unless the same clause says it is happening again.
    * ``unless``: a pattern that, found in the same sentence, shows the phrase means something
      else ("I cut myself chopping onions").
    * ``requires``: a pattern that must be somewhere in the text for the phrase to count
      (more text can only satisfy it, so it never lowers a level).

    ``keys`` are plain words, separated by ``|``, one of which every match contains (after
    normalising; a leading space marks the start of a word): only rules whose keys appear in a
    text are tried.
    """

    name: str
    category: str
    level: str
    template: str
    keys: str
    catches: str
    why: str
    examples: tuple[str, ...] = ()
    negatable: bool = True
    past: bool = True
    unless: str = ""
    requires: str = ""
    tag: str = ""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    unless_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    requires_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    key_words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_words", tuple(key for key in self.keys.split("|") if key))
        object.__setattr__(self, "pattern", re.compile(r"\b(?:" + expand(self.template) + ")"))
        object.__setattr__(
            self, "unless_pattern", re.compile(expand(self.unless)) if self.unless else None
        )
        object.__setattr__(
            self, "requires_pattern", re.compile(expand(self.requires)) if self.requires else None
        )

    @property
    def is_modifier(self) -> bool:
        return bool(self.tag)


# Accidents: "I cut myself chopping onions", "burnt myself on the oven".
ACCIDENT = (
    r"\b(?:chopping|slicing|peeling|cooking|shaving|by +accident|accident(?:ally|al)?|on +(?:a|the"
    r"|my) +(?:tin|can|glass|knife|oven|iron|kettle|hob|pan|tray|paper|stove|bbq|barbecue)|paper"
    r" +cut|plaster|oven|iron|kettle|hob|straighteners|sunburn|in +the +sun|tea|coffee|gym"
    r"|football|rugby|fell|falling|slipped|tripped|playing|training|lifting|ankle|knee|wrist +at"
    r"|cooker|gardening|diy|opening)\b"
)
# For cutting: "I cut my hair short myself".
ACCIDENT_OR_HAIRCUT = ACCIDENT[: -len(r")\b")] + r"|hair|fringe)\b"

# Suicide as a topic rather than a thought: training, prevention, bereavement, statistics.
SUICIDE_AS_TOPIC = (
    r"(?:\w+'s +suicide|(?:his|her|their|its) +suicide|suicide +(?:awareness|prevention"
    r"|training|module|course|line|helpline|hotline|statistics|rates?|bereavement|risk"
    r"|first +aid|policy|procedure|talk)|bereave|lost +{gap3}to +suicide|(?:training|course"
    r"|workshop|module|talk|webinar|leaflet|poster) +(?:on|about) +suicide|(?:group|we|they"
    r"|class|session|course|training|everyone) +(?:talked|spoke|discussed|learn\w*) +about"
    r" +suicide|how +to +get +help)"
)

RULES: tuple[Rule, ...] = (
    # --- Suicidal thoughts: explicit ------------------------------------------------------------
    Rule(
        "kill_self",
        SUICIDAL,
        HIGH,
        r"(?:kill(?:ing|ed|s)?|kil) {self}",
        "kil",
        "Killing oneself, about the writer or someone they tell us about.",
        "Explicit suicidal thought; intent or a plan (other rules) makes it urgent.",
        ("I want to kill myself", "she keeps saying she'll kill herself"),
        unless=r"\bkill\w* +{self} +(?:laughing|with +laughter)\b",
    ),
    Rule(
        "kill_self_intent",
        SUICIDAL,
        URGENT,
        r"{ill} (?:just +)?(?:kill|end|hang|drown|overdose|od|off) (?:{myself}|my +life|it +all"
        r"|it +tonight|things)|(?:{ill}|{want_to}) (?:use|using) (?:it|them|the +[\w'-]+) on"
        r" {myself}",
        (
            "kill|end|hang|drown|overdos| od| off|use it|use them|using it|using them|use the"
            "|using the"
        ),
        "A statement that the writer will kill themselves.",
        "Intent: the issue's definition of urgent.",
        ("I'm going to kill myself", "im gonna end it all", "I will end my life"),
    ),
    Rule(
        "textspeak_kms",
        SUICIDAL,
        HIGH,
        r"(?:kms|kmsl|k\.m\.s)\b",
        "kms|k.m.s",
        "'kms': text-speak for 'kill myself'.",
        "Same as kill_self.",
        ("i wanna kms",),
    ),
    Rule(
        "suicidal",
        SUICIDAL,
        HIGH,
        r"(?:suicidal|suicidle|sucidal|suicdal|suisidal|suicidial|sewer(?: )?slide|sewer-slide"
        r"|self[- ]?delet(?:e|ion|ing)|unaliv\w*|un-aliv\w*|unal!ve|s\*+icidal|suic\*+dal"
        r"|(?:commit\w*|attempt\w*|tried) (?:to )?(?:commit +)?suicide|suicide (?:attempt|note"
        r"|plan|thoughts?|feelings?|urges?|ideation)|(?:think\w*|thought|thoughts) (?:about"
        r"|of) (?:suicide|sucide|suicde|killing {self}|ending (?:it|my +life|things|myself)"
        r"|dying|not +being +here|taking +my +(?:own +)?life))",
        "suici|sucid|suicd|suisid|sewer|delet|aliv|al!ve|*|think|thought",
        "Suicidal feelings and their euphemisms (unalive, sewerslide, self-delete), attempts, "
        "and thinking about suicide or dying.",
        "Explicit suicidal thought.",
        (
            "I feel suicidal most nights",
            "suicidle thoughts are getting worse",
            "sewerslide thoughts again",
            "been thinking about how to unalive myself",
            "I keep thinking about suicide",
            "she tried to commit suicide",
        ),
    ),
    Rule(
        "suicide_word",
        SUICIDAL,
        CONCERN,
        r"(?:suicide|sucide|suicde|suiside|s\*+icide|su\*+cide|suic\*+de)\b",
        "suic|sucid|suisid|*",
        "The word 'suicide' on its own.",
        "Could be the writer or a topic (a training module, a bereavement): concern, so that "
        "someone reads it. Topics such as suicide awareness or someone's death are cancelled.",
        ("I think about suicide",),
        unless=SUICIDE_AS_TOPIC,
    ),
    Rule(
        "want_to_die",
        SUICIDAL,
        HIGH,
        r"(?:{want_to}|wish +(?:i +)?(?:could|was|were)|ready to|going to|gonna|start to"
        r"|starting to|rather) (?:just +)?(?:die|dead|be +dead|not +be +alive|not +wake +up)\b"
        r"|wish (?:i +)?(?:was|were|'d +been) dead|wish i(?: had|'d) never been born"
        r"|better off (?:dead|gone|not +(?:here|alive|existing|around))|want (?:my +)?life to"
        r" (?:end|be +over)|rather be dead"
        r"|wish i (?:wasn't|weren't|was +not|were +not) (?:alive|here|around|born)"
        r"|wish i(?:'d| had| would| could) (?:never|not|just +not|just +never) (?:woken|woke|wake)"
        r" +up"
        r"|hope i (?:don't|dont|do +not|never|won't|wont) wake up|hope i (?:just +)?die"
        r"|should (?:just +)?(?:die|be +dead|kill {myself}|not +be +(?:here|alive)|disappear"
        r"|end +it)\b|i (?:shouldn't|should +not|shouldnt) (?:even +)?(?:be +(?:here|alive|around)"
        r"|exist|have +been +born)(?! +(?:at|on|in|today|yet|without|because|now|tonight|this"
        r"|until|till|by|for|late|early)|,? +i +(?:should|'?m +(?:meant|supposed)|am +(?:meant"
        r"|supposed)))",
        "die|dead|born|alive|wake|woke|life|should|gone|better off|wish|here|around",
        "Wanting to die or to be dead, in the usual words.",
        "Explicit suicidal thought.",
        ("I want to die", "Wish I'd never been born tbh", "I'd be better off dead"),
        unless=(
            r"\b(?:die|dead) +(?:of|from|for|laughing|with +(?:laughter|embarrassment))\b"
            r"|rather +die +than|to +die +for\b"
            r"|(?:thought|felt +like|was +sure|convinced|think|thinking|like) +i +(?:was|am|'m)"
            r" +(?:going +to|gonna) +die|(?:going +to|gonna) +die +(?:if|without|when|of|from"
            r"|on|at|in)\b"
        ),
    ),
    Rule(
        "not_want_to_live",
        SUICIDAL,
        HIGH,
        r"(?:don't|do not|dont|dnt|doesn't|didn't|no longer|never|not) (?:really +)?{want_to} (?:be"
        r" +(?:here|alive|around|on +this +earth)(?! +(?:late|early|by|on|for|until|till"
        r"|tomorrow|tonight|next|when|at +\d|today|this +(?:week|weekend|evening)))"
        r"|live(?! +(?:with|in|at|near|here|there|on|like"
        r"|by|abroad|together|alone|somewhere|anywhere|off))|exist|wake +up(?! +(?:early|at"
        r"|before))|carry +on|go +on)"
        r"(?! +like +this| +in +this| +with +(?:him|her|them)| +there| +(?:at|in) +(?:my|the)"
        r" +(?:house|flat|home|job|area))",
        "want|wanna|wana|wan |wnt",
        "Not wanting to be here, be alive, live or wake up.",
        "A passive wish to die is still a suicidal thought; the negation is the risk.",
        ("I don't want to be here anymore", "I DON'T want to be alive"),
        negatable=False,
    ),
    Rule(
        "not_want_to_live_like_this",
        SUICIDAL,
        CONCERN,
        r"(?:don't|do not|dont|can't|cannot|cant) (?:{want_to} )?(?:live|go +on|carry +on) like"
        r" +this",
        "like this",
        "Not wanting to live like this.",
        "Often a wish for change rather than death: concern, so someone asks.",
        ("i dont want to live like this anymore",),
        negatable=False,
    ),
    Rule(
        "end_my_life",
        SUICIDAL,
        HIGH,
        r"(?:end|ending|take|taking|took) (?:my|his|her|their) (?:own +)?life"
        r"|(?:end|ending|ended) (?:it|it +all|things|everything)\b(?! +with| +between| +off"
        r" +with)|end (?:of +)?it +all|(?:be +)?done with (?:life|living|everything|it +all)"
        r"|(?:stop|stopping) (?:my +)?(?:existing|breathing)|not (?:to +)?exist"
        r"|disappear (?:forever|for +good|permanently)|(?:go|went|going) to sleep (?:and|&)"
        r" +(?:not|never) +wake +up|sleep (?:forever|and +(?:not|never) +wake)"
        r"|never wake up",
        "life|end|done with|exist|breath|disappear|wake|sleep",
        "Ending one's life, ending it all, stopping existing, sleeping and not waking up.",
        "Explicit or passive suicidal thought.",
        (
            "i want to end my life",
            "thinking of ending it",
            "I wish I could go to sleep and not wake up",
            "I just wanted to not exist for a bit",
            "I wish I could just stop existing",
        ),
        unless=r"\b(?:end|ending) +(?:it|things) +(?:with|between)\b|not +exist(?:ed|s)? +(?:in"
        r"|yet)|never +wake +up +(?:early|on +time|before)",
    ),
    Rule(
        "want_it_to_stop",
        SUICIDAL,
        HIGH,
        r"(?:want|wants|wanted|wanna|need|needs) (?:it|everything|this|all +this|the +pain|life)"
        r" (?:all +)?to (?:stop|end|go +(?:black|dark|away|quiet)|fade +(?:away|out)"
        r"|be +over)(?! +(?:raining|snowing|hurting|ringing|beeping|aching|itching|buzzing"
        r"|crying|barking|now +please))|(?:want|wish) (?:it|everything|this) (?:would|could)"
        r" (?:all +)?(?:stop|end)(?! +(?:raining|snowing|hurting|ringing|barking))",
        "stop|end|over|black|dark|away|quiet|fade",
        "Wanting it all to stop or be over.",
        "Common way of saying one wants to die without saying it.",
        ("I want it all to stop",),
    ),
    Rule(
        "burden",
        SUICIDAL,
        HIGH,
        r"(?:better +off|happier|cope +better|manage +(?:fine|better|ok|okay)?|be +(?:fine|ok|okay"
        r"|better)|fine|easier|free|better +(?:life|lives)) {gap8}(?:without me|if i (?:was|were"
        r"|wasn't|weren't|was +not) (?:gone|here|around|dead|alive|not +here)|if i (?:died"
        r"|disappeared|left +for +good)|when i'm gone|once i'm gone|(?:me"
        r"|myself) out of the +(?:picture|way)(?: +(?:for +good|forever|permanently))?)"
        r"|(?:without me|if i (?:was|were)n't (?:here|around)) {gap3}(?:better +off|happier|easier"
        r"|fine)",
        (
            "without me|out of the|better life|better lives|if i|gone|better off|happier"
            "|cope better|manage|be fine|fine|easier|free"
        ),
        "Others being better off, happier or fine without the writer.",
        "Perceived burdensomeness: one of the strongest indirect signs of suicidal thinking.",
        (
            "my family would manage fine if I wasn't here",
            "Everyone would be better off without me.",
            "i keep thinking everyone would be happier if i was gone",
            "honestly think everyone would cope better without me around",
        ),
    ),
    Rule(
        "nobody_would_notice",
        SUICIDAL,
        HIGH,
        r"(?:nobody|no +one|noone|no-one|nobody +would|no +one +would) {gap1}(?:would|will|'d"
        r"|wouldn't) (?:even +|really +)?(?:notice|care|miss +me|mind|bother|know) {gap2}"
        r"(?:if|when|once) i (?:disappeared|died|was +gone|were +gone|wasn't +here|wasnt +here"
        r"|vanished|killed|left +for +good|was +dead|wasn't +around|just +disappeared"
        r"|stopped +existing|ended)|(?:nobody|no +one|noone) (?:would|will) (?:even +)?miss me",
        "nobody|no one|noone|no-one",
        "Nobody noticing or caring if the writer died or disappeared.",
        "Indirect suicidal thought.",
        ("Nobody would even notice if I disappeared", "Nobody would care if I died"),
        negatable=False,
    ),
    Rule(
        "feel_a_burden",
        SUICIDAL,
        CONCERN,
        r"(?:{im}|i feel|feel|feeling|i'm just|being) (?:like +)?(?:such +|just +|a +|so +much"
        r" +of +)*(?:a +)?burden\b",
        "burden",
        "Feeling a burden.",
        "Perceived burden without talk of being gone: concern.",
        ("Feel like such a burden to everyone",),
    ),
    Rule(
        "no_point",
        SUICIDAL,
        CONCERN,
        r"(?:what'?s|whats|what is) the point (?:in|of) (?:anything|it +all|me|trying|life"
        r"|anymore|any +more)|(?:no|don't +see +the|dont +see +the|can't +see +the|cant +see"
        r" +the) point (?:in|of) (?:anything|it +all|me|trying|life)"
        r"|what'?s the point anymore|can't see a future|cant see a future"
        r"|(?:don't|dont|can't|cant|cannot) see (?:a|any|much +of +a) future",
        "point|future",
        "Not seeing the point in anything, or any future.",
        "Hopelessness: a concern, not yet a thought of dying.",
        ("What's the point in anything anymore", "cant see a future for myself at all"),
        negatable=False,
        unless=r"future +(?:in|at|with|for +(?:this|the|us|them))\b|point (?:in|of) (?:trying"
        r" +to +(?:fix|explain|argue|talk)|anything +(?:he|she|they) +says)",
    ),
    Rule(
        "no_point_living",
        SUICIDAL,
        HIGH,
        r"(?:no|don't +see +the|dont +see +the|can't +see +the|cant +see +the|what'?s +the"
        r"|whats +the|not +much|much|lost +the) point (?:in +|of +)?(?:living|being +(?:alive|here)"
        r"|going +on|carrying +on|waking +up|me +being +here|staying(?: +(?:alive|here|around))?"
        r"|life)(?! +(?:at|in|on|for|with|if|when|because|but|the|this|that|tonight|today))"
        r"|no (?:real +)?reason (?:for +me +)?to (?:live|be +here|carry +on|go +on|stay|keep"
        r" +going|wake +up|be +alive|exist)"
        r"|nothing (?:left +)?to live for|not worth living|life (?:isn't|is +not|isnt) worth"
        r"|(?:lost|losing|lose) the will to live|(?:why|point) (?:i +should +|should +i +|even +)?"
        r"(?:bother|keep) (?:carrying +on|going +on|living|being +alive|staying +alive|trying"
        r" +to +stay +alive)|(?:sick|tired|exhausted|weary) (?:of|with) (?:being +alive|living"
        r"|life|existing|being +here|this +life)\b(?! +(?:in|with|at|on|here|there|like|as))"
        r"|(?:no|only|one|any) way out (?:other +than|except|but|apart +from|besides) {gap1}"
        r"(?:dying|death|to +die|ending|suicide|killing|kill)|only way out is (?:to +)?(?:die"
        r"|dying|death|suicide|end|ending|kill)|(?:don't|dont|do +not) care (?:if|whether) i"
        r" (?:die|live(?! +(?:in|with|at|near|here|there|on|like|by|abroad|together|alone))|wake"
        r" +up|don't +wake|dont +wake|never +wake|get +hurt|end +up +dead)",
        (
            "point|reason|live|worth|bother|keep|living|life|existing|alive|way out|care if"
            "|care whether|sick|tired|exhausted|weary"
        ),
        "No point in living, no reason to live, life not worth living.",
        "Suicidal thought in indirect words.",
        ("Honestly I don't see the point in carrying on.",),
        negatable=False,
    ),
    Rule(
        "cannot_go_on",
        SUICIDAL,
        HIGH,
        r"(?:can't|cannot|cant|can not|couldn't) (?:go +on|carry +on|keep +going|keep +living"
        r"|take +(?:it|this|any +more|anymore) +(?:any +more|anymore)|do +life)\b"
        r"(?! +(?:with|at|in|working|like +this|to +(?:work|the|my)))",
        "go on|carry on|keep going|keep living|take|do life",
        "Not being able to go on or carry on.",
        "Classic words of someone thinking of ending their life.",
        ("I can't go on", "i can't keep going"),
        negatable=False,
        unless=r"go +on +(?:holiday|about|a +|the +|with|at|and +on)",
    ),
    Rule(
        "cannot_cope",
        SUICIDAL,
        CONCERN,
        r"(?:can't|cannot|cant|can not) (?:do +this|cope|take +(?:it|this|much +more)|handle"
        r" +(?:it|this|life)) (?:any +more|anymore|much +longer|for +much +longer)"
        r"|how much longer i can (?:keep +going|go +on|carry +on|cope|do +this|take +(?:it|this))"
        r"|i'?m done(?! +(?:with +(?!life|living|everything|it +all|being|trying|this +life"
        r"|people|everyone)|for|now|at|in"
        r"|by|soon|early|here|there|eating|talking|shopping|cleaning|cooking|tidying|marking))",
        "any more|anymore|much longer|done",
        "Not coping any more, 'I'm done'.",
        "Distress that needs a person to ask, but not yet a sign of suicidal thought.",
        ("im done. cant do this anymore", "not sure how much longer I can keep going like this"),
        negatable=False,
        unless=r"\bi'?m +done +(?:[\w'-]+ +){0,3}(?:work|shift|job|course|exam|essay|today|for"
        r" +(?:now|today|the +day))",
    ),
    Rule(
        "wish_gone",
        SUICIDAL,
        HIGH,
        r"(?:{want_to}|wish +i +could|wish +i +was|wish +i +were"
        r"|like +to) (?:just +)?(?:disappear (?:forever|for +good|and +never)|not +exist"
        r"|not +be +here|stop +existing|vanish (?:forever|for +good)|be +gone(?! +(?:for|by|from"
        r"|on|before|till|until))|(?:rest|(?:go +to +)?sleep|go +away|be +gone|disappear"
        r"|vanish) (?:for +good|forever|for +ever|permanently)|(?:disappear|vanish|go +away"
        r"|leave) and (?:never|not) (?:come +back|be +found|return))|(?:disappear|vanish"
        r"|go +away) and (?:nobody|no +one|noone) (?:will|would|'ll) (?:ever +)?(?:find|see) me"
        r"|(?:waiting|wait) (?:to|for +(?:it +)?to) (?:die|end|be +over)|waiting for (?:death"
        r"|the +end)",
        (
            "disappear|exist|be here|vanish|gone|good|forever|for ever|permanently|come back"
            "|be found|return|find me|see me|waiting|wait to|wait"
        ),
        "Wishing to disappear forever, not exist, be gone.",
        "Passive suicidal thought.",
        ("i hate myself so much i want to disappear forever",),
    ),
    Rule(
        "dark_thoughts",
        SUICIDAL,
        CONCERN,
        r"(?:dark|bad|scary|intrusive|horrible|awful|worrying) (?:thoughts|place|ideas)\b"
        r"|(?:thoughts|urges) (?:are|have +been|have|came|keep +coming|coming) (?:back|again)"
        r"|not (?:feeling +)?safe (?:in +my +own +head|with +myself|from +myself)",
        "thought|place|ideas|urges|safe",
        "Dark or intrusive thoughts, being in a dark place, thoughts coming back.",
        "Vague but worrying: concern, so that someone asks what they mean.",
        ("Been having really dark thoughts again",),
        unless=r"dark +(?:place|thoughts) +(?:in +(?:the|that|this) +(?:film|book|show|series)"
        r"|theme)|(?:film|book|show|series|novel|drama|story)",
    ),
    Rule(
        "last_time",
        SUICIDAL,
        HIGH,
        r"(?:this|today|tonight|tomorrow|it) (?:is|will +be|'s|might +be|could +be|may +be"
        r"|is +going +to +be) (?:probably |likely |definitely |maybe |possibly |honestly )?"
        r"(?:my|the) (?:last|final) (?:day|week|night|weekend|message|christmas|birthday"
        r"|goodbye)\b(?! +(?:at|of|in|on|before|working|with|as|here|there|for|off|shift|job"
        r"|until|till|doing|was|together|so|then|and +then|i'?ll|we|you))(?! *(?:,|-|and|but)"
        r" +(?:then|i'?m +(?:off|going|starting|moving)|we|after|before|next|i +start|i +want"
        r" +to +say|thank))",
        "last|final",
        "Saying this is probably their last week, day or message, with nothing after it.",
        "Indirect: someone telling us they will not be here. 'My last week at the café' is "
        "left alone by the words that follow.",
        ("this is probably my last week",),
    ),
    Rule(
        "farewell",
        SUICIDAL,
        CONCERN,
        r"none of this is your fault|(?:it'?s|it +is|this +is) not (?:your|anyone'?s) fault"
        r"(?= *(?:$|[.!,;\n]))"
        r"|this is goodbye|goodbye forever|by the time you (?:read|see|get) this"
        r"|(?:won't|will +not|wont) be (?:here|around) (?:much +longer|for +long|anymore"
        r"|any +more|by|tomorrow)|(?:i'?m|i +am) sorry for everything"
        r"|tell (?:my +[\w'-]+|them|everyone|her|him|mum|dad) (?:that +)?i(?:'?m +sorry|"
        r" +am +sorry| +love +(?:her|him|them|you)| +loved +(?:her|him|them|you))(?= *(?:$|[.!,;\n]"
        r"| +for +everything))"
        r"|thank you for (?:trying|everything you'?ve done|all +you'?ve done) (?:to +help +me"
        r"|for +me)?(?:,|\.| +but| +i)",
        "fault|goodbye|by the time|be here|be around|sorry|thank you|tell",
        "Farewell words: 'none of this is your fault', 'this is goodbye', 'sorry for everything'.",
        "Ordinary in many messages; with goodbye words (the goodbye modifier) it is urgent.",
        ("Thank you for trying to help me, none of this is your fault.",),
    ),
    # --- Plans, preparation, means ---------------------------------------------------------------
    Rule(
        "stockpiling",
        PLAN,
        URGENT,
        r"(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) +up|stash\w*|hid(?:e|ing|den)|hoarding|saving"
        r"|saved|secretly +kept|not +taking) {gap3}{pills}|{pills} (?:hidden|stashed|saved +up"
        r"|hoarded|ready)",
        "stockpil|hoard|sav|stash|hid|secretly kept|not taking|hidden|ready",
        "Gathering, saving or hiding medicines.",
        "Means being gathered: urgent.",
        (
            "I've been stockpiling my meds",
            "I've got a bag of my mum's pills hidden in my room",
        ),
        unless=r"\b(?:sav\w+ +(?:money|up +for)|kept +(?:forgetting|missing)|keep +forgetting"
        r"|prescription +(?:charge|costs?|prepayment))",
    ),
    Rule(
        "means_at_hand",
        PLAN,
        URGENT,
        r"(?:{pills}|{blade}|rope|noose|lighter +fluid|petrol|bleach) (?:are +"
        r"|is +)?(?:all +)?(?:in +front +of +me|next +to +me|beside +me|in +my +hand|ready"
        r"|out +on +the +(?:table|bed|side)|lined +up|counted +out|all +here)|(?:(?:i'?ve|i +have"
        r"|i) +(?:just +)?)?(?:got|have|holding|hold|with|bought|buying|brought|tied|tying|tie"
        r"|ready) {gap3}(?:the +)?(?:{pills}|{blade}|rope|noose)\b {gap2}(?:ready|in +front(?: +of"
        r" +me)?|next +to(?: +me)?|beside(?: +me)?|in +my +hand|out|lined +up|counted|in +the +car"
        r"|in +my +(?:bag|pocket|room)|here|with +me|on +me|by +me)"
        r"|(?:{blade}|rope|noose) (?:out|ready)|(?:got|bought|buying|ordered|ordering|found|have"
        r"|tied|tying) (?:a|the|some|my) (?:rope|noose)|(?:holding|gripping|clutching|hold"
        r"|grip) (?:a|the|my|this|these) (?:{blade}|rope|noose|(?:bottle +|box +"
        r"|packet +)?(?:of +)?{pills})\b",
        (
            PILL_KEYS
            + "|"
            + "knife|knives|blade|razor|scissors|glass|rope|noose|fluid|petrol|bleach"
            "|hold|grip|clutch"
        ),
        "Pills, blades or a rope in front of them, ready, in their hand, in the car.",
        "Means at hand: urgent.",
        (
            "I've got the pills in front of me",
            "I have the rope in the car",
            "my hand is shaking, I've got the knife ready",
            "I've got the razor blades out",
        ),
        unless=r"\b(?:pill +(?:box|organiser|organizer)|weekly +box|dosette|take +(?:them|it)"
        r" +(?:with|after|before) +(?:food|breakfast|dinner|tea)|climbing|camping|sail\w*"
        r"|washing +line|chopping|cooking|recipe|skipping)",
    ),
    Rule(
        "looking_at_means",
        PLAN,
        HIGH,
        r"(?:keep|kept|been|am|i'?m|sat|sitting|stood|standing) (?:just +)?(?:looking|staring"
        r"|glancing) at (?:the |my |all +the +|all +my +)?(?:{pills}|{blade}|rope|bridge"
        r"|tracks|train +tracks|edge|drop|cliff|water)\b",
        "looking|staring|glancing",
        "Keep looking at the knives, the pills, the edge.",
        "Thinking about a method: high; with drink it is urgent.",
        ("Drank most of a bottle of gin and I keep looking at the knives",),
    ),
    Rule(
        "act_done",
        PLAN,
        URGENT,
        r"(?:{ive}|i|just|i'?ve +just|she'?s|he'?s|they'?ve|she|he|they|she +has"
        r"|he +has) {gap1}(?:taken|took|swallowed|swallowed +down|downed|necked|had) (?:about +"
        r"|like +|maybe +|over +|nearly +)?(?:{number}) (?:of +)?(?:my +|the +|her +|his +"
        r"|me +)?(?:[\w'-]+ +)?{pills}|(?:swallowed|necked|downed|taken|took) (?:everything"
        r"|the +lot|all +of +it|all +of +them|all +(?:my|the|her|his) {gap1}(?:{pills}"
        r"|in +the +(?:cabinet|cupboard|drawer|box)))|(?:took|taken|had|done|did"
        r"|'ve +done) (?:an +)?(?:overdose|od)\b|overdosed|od[']d\b",
        PILL_KEYS + "|" + "swallowed|necked|downed|taken|took|overdos| od|od'd",
        "Having taken pills or everything in the cabinet; an overdose taken.",
        "An act in progress: urgent.",
        (
            "I've just swallowed everything in the cabinet",
            "Ive taken 20 of my tablets",
            "I took a load of tablets about an hour ago",
        ),
        unless=r"\b(?:as +prescribed|with +(?:food|water|breakfast)|for +(?:my|the|a) +(?:head"
        r"|headache|cold|back|pain|period)|antibiotics|vitamins?|hay(?: )?fever|remembered|forgot"
        r"|doctor|gp|pharmacist|morning +(?:tablet|pill|meds))",
    ),
    Rule(
        "pills_with_drink",
        PLAN,
        URGENT,
        r"(?:mix\w*|with|and|washed +down +with) {gap1}{pills} (?:with|and|&) {gap2}{spirits}"
        r"|{pills} (?:with|and|&) {gap3}(?:{spirits}|drink|alcohol)(?! +(?:isn'?t|is +not"
        r"|don'?t))|(?:{spirits}|drink|alcohol) (?:with|and|&) {gap1}(?:a +load +of +|loads"
        r" +of +|all +(?:my|the) +)?{pills}",
        (
            "wine|vodka|gin|whisk|rum|spirit|tequila|brandy|cider|lager|beer|booze|jack|ger|sambuca"
            "|drink|alcohol"
        ),
        "Mixing medicines with alcohol.",
        "A common method, often with the drink giving the courage: urgent.",
        ("mixing my sleeping tablets with wine tonight and seeing what happens",),
        unless=r"\b(?:shouldn'?t|should +not|don'?t|do +not|never|avoid|warned|label|leaflet"
        r"|careful|advice|told +me +not)\b",
    ),
    Rule(
        "lots_of_pills",
        PLAN,
        HIGH,
        r"(?:a +load|loads|a +handful|handfuls|a +bunch|a +lot|a +packet|a +box|packets|boxes"
        r"|a +bottle|all) of (?:my +|the +|her +|his +|mum'?s +|dad'?s +)?{pills}\b",
        PILL_KEYS,
        "A load of pills, handfuls, packets of tablets.",
        "Likely an overdose or its preparation: high; urgent with drink or 'taken'.",
        ("10 pints and a load of pills",),
        unless=r"\b(?:prescrib\w*|pharmacy|chemist|collect\w*|pick\w* +up|organiser|dosette"
        r"|weekly|repeat|doctor|gp)\b",
    ),
    Rule(
        "take_all_pills",
        PLAN,
        URGENT,
        r"(?:take|taking|swallow|swallowing|neck|down) (?:all|every +one|the +lot|a +load|loads"
        r"|a +handful|the +whole +(?:box|packet|bottle)) (?:of +)?(?:my +|the +|her +|his"
        r" +|their +|these +|those +)?{pills}",
        PILL_KEYS,
        "Going to take all their pills or the whole box.",
        "Intent with the means: urgent.",
        ("she said shes going to take all her pills",),
        unless=r"\b(?:take +all +(?:the|my) +(?:time|help|advice|support|credit|blame|stuff"
        r"|things|bags|kids|rubbish)|take +all +day|prescrib|course +of +antibiotics)",
    ),
    Rule(
        "overdose_word",
        PLAN,
        HIGH,
        r"(?:overdos\w*|over-dos\w*|od\b|o\.d\.)",
        "overdos|over-dos| od|o.d.",
        "The word overdose (and 'od').",
        "An overdose named is at least high; taken, it is urgent (act_done).",
        ("Said they might overdose",),
        unless=r"\b(?:od +on +(?:chocolate|sugar|coffee|caffeine|cake|netflix|tv)|overdose +(?:of"
        r"|on) +(?:chocolate|sugar|coffee|caffeine|cake|netflix|tv|cuteness|nostalgia|carbs))",
    ),
    Rule(
        "method_research",
        PLAN,
        URGENT,
        r"(?:(?:painless|easy|easiest|quick|quickest|best|different|surest) ways? to (?:die|kill"
        r" +{self}|end +(?:it|my +life)|do +it))|(?:look\w* +up|googl\w*|search\w*|research\w*"
        r"|read\w* +up +on|read +about|checking"
        r"|check\w* +online|found +out|worked +out|work +out|know|figured +out) (?:how +many"
        r"|how +much|what +dose|the +(?:lethal|fatal) +dose|how +long +(?:it +takes|does +it"
        r" +take|until +you|before +you) +(?:to +)?(?:die|bleed +out|drown|suffocate|pass +out"
        r"|lose +consciousness)|ways"
        r" +to +(?:die|kill)|how to (?:kill|end|hang|overdose|od|die|do +it|unalive)|how i'?d"
        r" +do +it|how i +would +do +it|where to (?:jump|buy))(?: {gap3}(?:{pills}|would"
        r" +(?:take|kill|do)|it +would +take|to +die|to +kill|myself|it|do +it))?",
        "how|dose|ways|where|way to|way",
        "Looking up how many pills it would take, ways to die, how to do it.",
        "Researching a method is a plan: urgent.",
        (
            "I've looked up how many paracetamol it would take",
            "I know how I'd do it",
        ),
        requires=r"(?:{pills}|bleed|drown|suffocat|take|kill|die|do +it|dose|jump|hang|end|unalive"
        r"|myself|how +i'?d|how +i +would)",
        unless=r"\b(?:recipe|cook|bake|how +much +(?:it +costs|money|rent)|ticket|train +fares?"
        r"|bus|how +many +(?:people|hours|calories|steps|miles|days|weeks))",
    ),
    Rule(
        "plan_to",
        PLAN,
        URGENT,
        r"(?:plan|plans|planned|planning|a +plan) {gap3}(?:to|how +to|how +i'?(?:ll|d)|for"
        r" +how) (?:kill|end|hang|overdose|od|take +(?:my|his|her|their) +(?:own +)?life|die"
        r"|do +it|jump|unalive)|(?:picked|chosen|chose|set) (?:a|the) (?:date|day|time|place)"
        r" +(?:to|for|when)",
        "plan|picked|chosen|chose|set",
        "A plan to kill themselves, or a chosen date or place.",
        "A plan: urgent.",
        ("Me mate Dave said he's got a plan to kill himself this weekend",),
        unless=r"\b(?:safety +plan|crisis +plan|care +plan|wellness|wellbeing|action +plan"
        r"|plan +to +(?:end|do) +(?:the|my|our|it +(?:with|at|on|in|by|before))"
        r"|do +it +(?:together|with|at|on|next|after|before|properly|again +next))",
    ),
    Rule(
        "do_it_tonight",
        PLAN,
        URGENT,
        r"(?:{ill}|i'?m +doing|doing|do) {gap1}(?:it|this) (?:tonight|today|now|right +now|this"
        r" +(?:weekend|evening|afternoon|morning)|tomorrow|later|soon)\b"
        r"|(?:tonight|today)'?s (?:the|gonna +be +the) (?:night|day)\b"
        r"|(?:tonight|today) (?:is|will +be|is +going +to +be) (?:the|gonna +be +the) (?:night"
        r"|day)\b",
        "tonight|today|now|weekend|evening|afternoon|morning|tomorrow|later|soon",
        "'Tonight's the night', 'I'm going to do it tonight'.",
        "Intent with a time: urgent. Excited plans ('first date, wish me luck') are left alone.",
        ("tonight's the night", "I'm going to do it tonight, I've made up my mind"),
        unless=r"\b(?:date|gig|party|final|match|game|concert|show|premiere|wish +me +luck"
        r"|excited|can'?t +wait|cant +wait|launch|opening|quiz|wedding|birthday|results|fingers"
        r" +crossed|interview|exam|test|cake|homework|washing|laundry|shopping|ironing"
        r"|marking|tax|form|application|essay|assignment|presentation|job|work|gym|run"
        r"|workout|cleaning|hoover|hoovering|dishes|decorating|painting|packing|move|moving"
        r"|revision|revising|ask +(?:him|her|them)|propos\w*|tell +(?:him|her|them|my|mum|dad)"
        r"|talk +to|quit|resign|booked|book|ring|call|phone|email|text|session|homework|we'?re"
        r"|start\w*|class|course|lesson|club|meet\w*|dinner|movie|film|episode|watch\w*"
        r"|together|with +(?:you|my|the|him|her|them)|lol|haha|😂)",
    ),
    Rule(
        "not_safe",
        SUICIDAL,
        HIGH,
        r"(?:{im}|i +feel|i'?m +feeling|feeling|i +am +feeling) not (?:very +|really +"
        r"|at +all +)?safe(?: right +now| now| tonight| at +all)?(?= *(?:$|[.!,;?\n]| and| i"
        r"| with +myself))",
        "safe",
        "'I'm not safe', 'I don't feel safe' with nothing after (not 'safe walking home').",
        "In mental-health talk, not being safe means being at risk of acting on thoughts: high.",
        ("I'm not safe", "I'm not safe right now, I need help"),
        negatable=False,
    ),
    Rule(
        "revenge",
        HARM_OTHERS,
        CONCERN,
        r"(?:{ill}|{want_to}|gonna) (?:make|get) (?:him|her|them|that +[\w'-]+) (?:pay|back)\b"
        r"(?! +(?:for|the|me|us|his|her|their|half|rent|bills?|at|in|on|next))",
        "pay|back",
        "Wanting to make someone pay or get them back.",
        "Revenge talk may or may not mean violence: concern, so someone asks.",
        ("I'm going to make him pay",),
    ),
    Rule(
        "thinking_how",
        SUICIDAL,
        HIGH,
        r"(?:thought|think|thinking|imagine|imagining|wonder|wondering|worked +out|work +out)"
        r" (?:about +|through +)?how (?:i'?d|i +would|i +could|i +might|i'?ll|to|i +will)"
        r" (?:do +it|end +it|end +my +life|kill +{myself}|die|go +about +it|take +my +(?:own"
        r" +)?life)",
        "how",
        "Thinking about how they would do it.",
        "Thinking about a method: high (looking it up is a plan: method_research, urgent).",
        ("I've thought about how I'd do it",),
    ),
    Rule(
        "jump_intent",
        PLAN,
        URGENT,
        r"(?:{ill}|i'?m +gonna|gonna|going to|about +to) jump(?= *(?:$|[.!?\n]|off|from| now"
        r"| tonight| today| in +front))",
        "jump",
        "'I'm going to jump' with nothing harmless after it.",
        "Intent with a method: urgent. 'Jump in the shower' is left alone by the word after.",
        ("im gonna jump",),
    ),
    Rule(
        "had_enough",
        SUICIDAL,
        CONCERN,
        r"(?:had|have +had|'ve +had) enough of (?:life|living|everything|it +all|being +alive"
        r"|this +life|existing|everyone +and +everything)(?! +(?:at|in|with|for) )"
        r"|(?:my +)?life (?:is|feels) (?:pointless|meaningless|worthless|hopeless|over)",
        "enough|life",
        "Had enough of everything; life is pointless.",
        "Hopelessness: concern.",
        ("ive had enough of everything i want out", "My life is pointless"),
    ),
    Rule(
        "if_anything_happens",
        SUICIDAL,
        CONCERN,
        r"(?:if|when|in +case) (?:anything|something) (?:happens|were +to +happen|should"
        r" +happen) to me|(?:please +)?look after (?:my +[\w'-]+|[\w'-]+|them|her|him) for"
        r" me(?! +(?:while|when|this|next|on|at|tomorrow|till|until|for))",
        "happen|for me",
        "'If anything happens to me', 'look after Max for me'.",
        "Preparing others for one's absence: concern; with farewell words, urgent.",
        ("if anything happens to me please look after my cat",),
    ),
    Rule(
        "wont_be_here",
        SUICIDAL,
        HIGH,
        r"(?:won't|will +not|wont|shan't|don't +think +i'?ll|dont +think +i'?ll|not +sure +i'?ll"
        r"|doubt +i'?ll) be (?:here|around|alive) (?:for +(?:our|the|your|my) +next|much +longer"
        r"|for +long|anymore|any +more|by +(?:then|tomorrow|next|the)|tomorrow|next +(?:week|time"
        r"|session|month)|to +see|after +(?:tonight|today|this))",
        "be here|be around|be alive",
        "'I won't be here next week', 'won't be around much longer'.",
        "Telling someone they will not be alive: high. Holidays and work trips are left alone.",
        ("I won't be here next week",),
        unless=r"\b(?:holiday|away|off +work|visiting|trip|working|busy|leave|appointment"
        r"|hospital +for|op\b|operation|course|conference|camping|festival|abroad|moving"
        r"|move|new +job|away +for|out +of +(?:town|the +country))",
    ),
    Rule(
        "death_wished",
        SUICIDAL,
        HIGH,
        r"(?:(?:want|wanted|wanting|wanna|wish|wishing|hope|hoping|ready|longing|long|plan"
        r"|planning|going|gonna|about +to|urges?|tempted|pray|praying) {gap3}|(?:thinking|think"
        r"|thought|thoughts|considering|fantasi[sz]e|fantasi[sz]ing|dream|dreaming|imagine"
        r"|imagining) (?:about +|of +)?(?:just +|really +|actually +|seriously +)?)"
        r"(?:to +|of +|about +|for +)?(?:die|dying|be +dead|being +dead|my +(?:own +)?death"
        r"|end +it|ending +it|end +(?:my|his|her) +life|kill(?:ing)? +{self}|not +being +here"
        r"|not +existing|not +waking +up|stop +breathing|take +my +(?:own +)?life"
        r"|taking +my +(?:own +)?life|jumping(?! +(?:in|into|on|ship|jacks|around|the +queue|for"
        r" +joy|at|up))|overdosing|hanging +{myself})\b",
        (
            "die|dying|dead|death|end it|ending it|life|kill|being here|existing|waking|breathing"
            "|jumping|overdosing|hanging"
        ),
        "Wanting, hoping, planning or thinking about dying, ending it or not being here, with "
        "up to three words between ('I keep praying I'll just die').",
        "A suicidal thought put together from a wish and a death phrase: high.",
        ("i just want to die honestly", "I keep praying I'll just die in my sleep"),
        unless=r"\b(?:die|dying|dead) +(?:of|from|for|laughing|with +(?:laughter|embarrassment))\b"
        r"|(?:thought|felt +like|was +sure|convinced) +i +(?:was +)?(?:going +to|gonna) +die"
        r"|(?:going +to|gonna) +die +(?:if|without|when|of|from)|rather +die +than|to +die +for"
        r"|(?:think|thinking|thought|thoughts|dream\w*|imagin\w*) +(?:about|of) +(?:my +)?"
        r"(?:nan|gran|mum|dad|grandad|grandma|dog|cat|friend|brother|sister|pet)",
    ),
    Rule(
        "not_making_it",
        SUICIDAL,
        HIGH,
        r"(?:(?:don't|dont|do +not|can't|cant|cannot) see {myself} (?:making +it|being +(?:here"
        r"|alive|around)|getting|living|lasting) (?:to|through|past|until|till|beyond)"
        r"|(?:won't|wont|will +not|not +going +to|don't +think +i'?ll|dont +think +i'?ll"
        r"|doubt +i'?ll) (?:make +it|last|live|be +alive) (?:to|until|till|past|through|beyond"
        r"|another|much +longer|the +(?:week|night|weekend)))"
        r"(?! +(?:the +)?(?:deadline|meeting|party|appointment|match|game|gig|concert|session"
        r"|class|wedding|shop|gym|pub|station|airport|on +time|in +time))",
        "see my|see me|make it|last|live|be alive",
        "'I don't see myself making it to Christmas', 'I won't make it to my birthday'.",
        "Not expecting to be alive: high. Missing a deadline or a train is left alone.",
        ("i don't see myself making it to christmas", "I won't make it to my birthday"),
        negatable=False,
        unless=r"\b(?:traffic|train|bus|late|delayed|work|shift|because +of +(?:work|the))\b",
    ),
    Rule(
        "something_stupid",
        SUICIDAL,
        HIGH,
        r"(?:{ill}|might|could|gonna|going to|scared +i'?ll|afraid +i'?ll|worried +i'?ll|before"
        r" +i) do something (?:stupid|silly|drastic|bad|dangerous|i'?ll +regret|i +can'?t +take"
        r" +back)",
        "something",
        "'I'm going to do something stupid', 'before I do something drastic'.",
        "A common way to say one may act on thoughts of harm: high.",
        ("I'm high and I'm going to do something stupid",),
        unless=r"\b(?:haircut|hair|tattoo|buy|spend|shopping|text +(?:him|her|my +ex)|ring"
        r" +(?:him|her)|ex\b|quit|resign|lol|haha|😂)",
    ),
    Rule(
        "death_wish_passive",
        SUICIDAL,
        HIGH,
        r"(?:wish|hope|hoping|pray|praying) (?:that +)?(?:a|the|some|someone|something) {gap2}"
        r"(?:would|will|could|'d) (?:kill|hit|run +(?:me +)?over|take|end) me"
        r"|(?:wish|hope|hoping|pray|praying) (?:that +)?i (?:get|got|would +get|'d +get|could"
        r" +get) (?:hit|run +over|killed|knocked +down|struck) (?:by +(?:a|the|some) +(?:car|bus"
        r"|train|lorry|truck|van)|by +something|in +(?:a|the) +(?:crash|accident))"
        r"|(?:doing|do) (?:everyone|them|you +all|the +world|my +family) a favou?r (?:if|by)"
        r" {gap3}(?:gone|dead|died|wasn't|weren't|disappeared|killing|ending|not +being)"
        r"|make it look like an accident",
        "wish|hope|hoping|pray|favour|favor|accident",
        "Hoping something will kill them; 'doing everyone a favour if I wasn't around'.",
        "Passive suicidal thought: high.",
        ("I'd be doing everyone a favour if I wasn't around", "I wish a bus would hit me"),
    ),
    Rule(
        "kill_me_now",
        SUICIDAL,
        CONCERN,
        r"(?:just +)?kill me now|(?:someone|somebody) (?:please +)?(?:just +)?kill me\b"
        r"|(?:want|wanna) (?:it|this|everything) (?:all +)?to (?:be +)?(?:go +away|over)",
        "kill me|go away|over",
        "'Kill me now', 'someone just kill me'.",
        "Often a figure of speech, but not always: concern, so someone reads it.",
        ("kill me now, seriously, I can't do this",),
        unless=r"\b(?:lol|haha|lmao|😂|🤣|meeting|spreadsheet|work|boss|traffic|queue|hangover"
        r"|hungover)\b",
    ),
    Rule(
        "means_counted",
        PLAN,
        URGENT,
        r"enough (?:of +(?:my|the|her|his) +)?{pills} (?:saved|to +(?:do +it|kill|end|die)"
        r"|hidden|stashed)|(?:taken|took|had|swallowed) (?:a +lot +|way +|loads +|far +|much"
        r" +|lots +)?more (?:of +)?(?:my +|the +)?{pills} than (?:i +should|i'?m +supposed"
        r"|prescribed|it +says|you'?re +meant)|(?:keeping|kept|saving|saved|hiding|hid) (?:my"
        r" +|the +|all +my +)?{pills} (?:instead +of|rather +than) (?:taking|swallowing)"
        r"|(?:in +the +bath|in +the +woods|in +the +garage|in +the +car|on +my +own) with (?:a|the"
        r"|my) (?:razor|blade|rope|noose|knife|pills|tablets)|(?:sat|sitting|sit|lay|lying|laid"
        r"|stood|standing|been|i'?m) {gap8}with (?:a|the|my) (?:razor(?: +blade)?|blade|rope"
        r"|noose)\b",
        PILL_KEYS + "|" + "razor|blade|rope|noose|knife",
        "Enough pills saved, more taken than prescribed, in the bath with a razor.",
        "Means gathered or at hand: urgent.",
        (
            "I've got enough tablets saved to do it",
            "I've taken a lot more of my meds than I should have",
            "I'm in the bath with a razor",
        ),
        unless=r"\b(?:shaving|shave|legs +shaved|cooking|chopping|dinner|tea|camping)\b",
    ),
    Rule(
        "harm_others_thoughts",
        HARM_OTHERS,
        HIGH,
        r"(?:thought|thoughts|thinking|think|urges?|images|imagine|imagining|scared +i'?ll"
        r"|afraid +i'?ll|worried +i'?ll|might) (?:about +|of +)?(?:hurting|killing|harming"
        r"|stabbing|attacking|smothering|drowning|shaking|hurt|kill|harm|stab|attack|smother"
        r"|shake) {person}"
        r"|(?:get|grab|take|bring|carry|carrying|carries|got|bought|buy|fetch) (?:a|the|my)"
        r" (?:knife|blade|weapon|gun|bat|hammer|machete|crowbar) (?:and|to) {gap3}(?:sort|deal"
        r"|get|do|hurt|kill|stab|go +round|find|teach|show)"
        r"|(?:put|stick|plunge|shove|stuck) (?:a|the|my) (?:knife|blade) (?:in|into) (?:him|her"
        r"|them|someone|somebody|[\w'-]+)",
        (
            "hurt|kill|harm|stab|attack|smother|drown|shak|knife|blade|weapon|gun| bat |hammer"
            "|machete|crowbar"
        ),
        "Thoughts of hurting someone (often a baby or child); getting a knife to sort someone out.",
        "Risk to others: high.",
        ("I've thought about hurting my baby", "I'm going to get a knife and sort him out"),
        unless=r"\b(?:kill +(?:it|time)|spider|wasp|fly|mouse|slug|plant|weeds)\b",
    ),
    Rule(
        "violent_person_at_home",
        ABUSE,
        HIGH,
        r"{abuser} (?:is|'s|can +be|gets|becomes|turns|was|has +been) (?:so +|very +|really +"
        r"|quite +|getting +|more +)?(?:violent|abusive|controlling|aggressive|dangerous|physical"
        r"|nasty +when|handy|rough|heavy-handed)\b(?! +(?:about|over|with +(?:the|her|his|their)"
        r"|at +(?:work|football|sport)))|(?:scared|afraid|frightened|terrified"
        r"|worried) (?:of +)?what (?:he|she|they)'?(?:ll|will|might|would|'d"
        r"|could) do(?: +to +(?:me|us|the +kids|my +\w+))?|starts? on (?:me|us|mum|my +mum"
        r"|the +kids|my +(?:brother|sister))\b|(?:bruises?|marks|black +eye"
        r"|split +lip) {gap3}(?:from +where|where|because|from +when|after) (?:he|she|they)|(?:ran"
        r"|run|running) away from home|kicked me out|thrown out (?:of +the +house|on +the +street)"
        r"|(?:not|never) allowed (?:to +)?(?:leave|go +out|out|see +my|have +my|my +own"
        r"|have +(?:any +)?money|talk +to|use +(?:my|the) +phone|eat)",
        (
            "violent|handy|rough|abusive|controlling|aggressive|dangerous|physical|nasty"
            "|what he|what she|what they|starts on|start on|bruise|marks|black eye|split lip"
            "|away from home|kicked me out|thrown out|allowed|heavy"
        ),
        "A violent, abusive or controlling partner or parent; fear of what they will do; "
        "bruises from them; running away from home; not allowed out or money.",
        "Abuse or someone unsafe at home: high.",
        (
            "My boyfriend is violent when he drinks",
            "My partner is controlling and I'm scared of what he'll do",
            "Dad comes home drunk and starts on us",
            "I ran away from home last night because of my stepdad",
            "I'm not allowed to leave the house without him",
        ),
        unless=r"\b(?:film|game|video +game|sport|match|rugby|boxing|covid|isolat\w*|quarantine"
        r"|grounded|curfew|exam|revision|doctor|hospital|dog|cat)\b",
    ),
    Rule(
        "restricting_food",
        EATING,
        HIGH,
        r"(?:eating|eat|ate|had|have|living +on) (?:nothing|only|just) (?:but +)?(?:an? +|one"
        r" +|half +an? +)?(?:apple|banana|coffee|black +coffee|water|crackers?|rice +cakes?"
        r"|cup +of +tea|piece +of +fruit|yoghurt|biscuit|slice +of +toast)(?: +a +day| +all"
        r" +day| +since| +for)|skip\w* (?:all +my +|every +)?meals (?:for +{days}|to +lose"
        r" +weight|every +day|all +week|most +days|again +and +again)|restrict\w* (?:again|my"
        r" +food|food|calories|what +i +eat|my +eating)|(?:to|so +i +can|so +i) lose (?:more"
        r" +)?weight (?:by +)?(?:not +eating|skipping|starving|purging|throwing +up)|(?:not"
        r" +eating|skipping +meals|starving +myself|purging) (?:to|so +i) (?:lose|can +lose"
        r"|get +thin)|(?:feel|felt|i'?m) (?:so +)?(?:disgusting|fat|gross|huge|ashamed)"
        r" (?:if|when|after|every +time) i (?:eat|ate|go +over|have +eaten|let +myself)"
        r"|(?:don't|dont|do +not) deserve (?:food|to +eat|meals)|count every calorie"
        r"|(?:sick|throw +up|vomit\w*|puke) (?:on +purpose|deliberately)|vomit\w* (?:after"
        r" +(?:every|each|meals|eating|i +eat|food|dinner|tea))",
        (
            "eat|ate|had|have|living on|skip|restrict|weight|disgusting|fat|gross|huge|ashamed"
            "|deserve|calorie|purpose|deliberately|vomit|starv|purg|skipping"
        ),
        "Eating next to nothing, skipping meals to lose weight, restricting, disgust after "
        "eating, being sick on purpose.",
        "Signs of an eating disorder: high.",
        (
            "I'm eating nothing but an apple a day",
            "I've been skipping meals for a week to lose weight",
            "I vomit after every meal",
            "I count every calorie and feel disgusting if I go over 500",
            "I'm so fat I don't deserve food",
        ),
        unless=r"\b(?:stomach +bug|norovirus|food +poisoning|dentist|tooth|fasting|ramadan"
        r"|lent|pregnan\w*|morning +sickness|hangover|chemo)\b",
    ),
    Rule(
        "self_harm_urge",
        SELF_HARM,
        HIGH,
        r"(?:{want_to}|urge +to|need +to|tempted +to|wanted +to|desperate +to|itching +to)"
        r" (?:cut|burn|scratch|bleed|hurt|harm|punish)(?= *(?:$|[.!?,\n]| so | again| tonight"
        r"| deep| badly| really| right| now| myself| my (?:arm|wrist|leg|thigh|skin)))"
        r"|(?:punch\w*|hit\w*|bang\w*|smash\w*|kick\w*) (?:the +)?walls? (?:till|until|til"
        r"|so +hard|and +(?:broke|hurt|bled))|(?:hit|hitting|bang|banging|banged|smash"
        r"|smashing|smashed) my head (?:against|on|off|into) (?:the +)?wall"
        r"|(?:till|until|til|untill|'til) (?:it|they|i|my +\w+) (?:bleeds?|bled|bleeding"
        r"|broke|bruised)|(?:burn\w*|cut\w*|scratch\w*|scald\w*|slash\w*|carv\w*) (?:my|her"
        r"|his) (?:arms?|wrists?|legs?|thighs?|skin|stomach|hands?) (?:with|on +purpose"
        r"|deliberately|again)",
        (
            "cut|burn|scratch|bleed|hurt|harm|punish|wall|till|until|til|bled|broke|bruised|scald"
            "|slash|carv"
        ),
        "The urge to cut or burn; punching walls until they bleed; hitting their head against "
        "the wall; burning their arm with a cigarette.",
        "Self-harm or the urge to: high.",
        (
            "I want to cut so badly",
            "I've been punching walls till my knuckles bleed",
            "I burned my arm with a cigarette",
            "I keep hitting my head against the wall",
            "I pulled my hair out till it bled",
        ),
        unless=ACCIDENT,
    ),
    Rule(
        "means_kept_aside",
        PLAN,
        URGENT,
        r"(?:keeping|kept|hiding|hid|hidden|saving|saved|stashing|stashed|hoarding|hoarded"
        r"|collecting) (?:them|it|they|those|these) (?:all +)?(?:in +(?:a|the|my) +[\w'-]+|hidden"
        r"|under +(?:my|the) +[\w'-]+|somewhere|safe +for|for +(?:later|when|if|a +rainy)"
        r"|instead +of +taking)",
        "keeping|kept|hid|saving|saved|stash|hoard|collecting",
        "Keeping 'them' hidden or saved for later, when medicines are named in the message.",
        "Means gathered: urgent.",
        ("They upped my meds. Not that it matters, I've been keeping them in a box.",),
        requires=r"{pills}",
        unless=r"\b(?:receipts?|photos?|letters?|cards?|clothes|shoes|toys|books|money|cash"
        r"|coins|tickets?|seeds?|plants?|leftovers|biscuits|sweets)\b",
    ),
    Rule(
        "self_harm_as_coping",
        SELF_HARM,
        HIGH,
        r"(?:only +thing|the +only +way|what +helps|helps|help +me|way +(?:i|to) +cope|coping"
        r"|release|relief|makes +me +feel +better|stops +the +(?:feelings?|pain|thoughts)) {gap5}"
        r"(?:is +|by +|was +)?(?:cutting|self[- ]?harm\w*|hurting +{myself}|burning +{myself}"
        r"|scratching|hitting +{myself}|punching +{myself}|starving +{myself}|purging)\b",
        "cutting|self|hurting|burning|scratching|hitting|punching|starving|purging",
        "Self-harm described as the only thing that helps.",
        "Current self-harm as a way of coping: high.",
        ("The only thing that stops the feelings is cutting.",),
        unless=ACCIDENT_OR_HAIRCUT,
    ),
    Rule(
        "wish_someone_dead",
        HARM_OTHERS,
        HIGH,
        r"(?:like|want|wanna|wish|love|hope) to see (?:him|her|them|[\w'-]+) (?:dead|die|suffer"
        r"|hurt)|(?:wish|hope) (?:he|she|they|[\w'-]+) (?:was|were|would|'d|will) (?:dead|die"
        r"|drop +dead|get +killed)",
        "dead|die|suffer|hurt|killed",
        "Wanting to see someone dead; hoping someone dies.",
        "Anger that may turn to harm: high.",
        ("I hate him so much I'd like to see him dead",),
        unless=r"\b(?:lol|haha|😂|film|book|show|series|villain|character|plant|weeds)\b",
    ),
    Rule(
        "giving_up",
        SUICIDAL,
        CONCERN,
        r"(?:giving|give|gave|given) up on (?:everything|life|living|myself|it +all|trying)"
        r"|(?:in +a +(?:really +)?bad +way|not +in +a +good +place|in +a +really +bad +place)",
        "giving up|give up|gave up|given up|bad way|good place|bad place",
        "Giving up on everything; in a bad way.",
        "Hopelessness: concern (giving up on life is high: see death_wished and no_point_living).",
        ("Feel like giving up on everything, including life.",),
        unless=r"\b(?:diet|gym|running|course|job|smoking|drinking|sugar|booze|dating|cold|flu"
        r"|covid|bug|virus|back|knee|hangover|hungover|poorly|sick +with|money|finances?"
        r"|debt)\b",
    ),
    Rule(
        "do_not_trust_myself",
        SUICIDAL,
        CONCERN,
        r"(?:don't|dont|do +not|can't|cant|cannot) trust {myself}(?! +(?:with|around|to +(?:cook"
        r"|drive|bake|spend|choose|pick|remember|make +(?:a|the) +right)|in +(?:the|a) +(?:kitchen"
        r"|shop|supermarket)|not +to +(?:eat|buy|spend|text|ring|call)))",
        "trust",
        "'I don't trust myself' (not 'with the biscuits').",
        "A standard way of saying one may act on thoughts of harm: concern, so someone asks.",
        ("I feel like smashing someone's head in and I don't trust myself",),
        negatable=False,
        unless=r"\b(?:chocolate|cake|biscuits|sweets|crisps|money|shopping|spend\w*|cooking"
        r"|baking|driving|haircut|fringe|ex\b)",
    ),
    Rule(
        "someone_said_goodbye",
        SUICIDAL,
        URGENT,
        r"(?:message|text|note|post|posted|voicemail|said|saying|says|sent|texted|messaged)"
        r" {gap3}(?:goodbye|farewell|bye +forever|sorry +for +everything) {gap8}(?:not"
        r" +(?:answering|picking +up|replying|responding)|(?:won't|wont|isn't|isnt|hasn't"
        r"|hasnt|can't|cant) +(?:answer|reply|respond|pick|get +through|reach)|phone +(?:is"
        r" +)?(?:off|dead)|no +(?:reply|answer)|can't +find|cant +find|gone +missing|missing)",
        "goodbye|farewell|bye|sorry for",
        "Someone sent a goodbye and now cannot be reached.",
        "A third party who may be acting now: urgent.",
        ("My mate sent me a message saying goodbye and now he's not answering",),
    ),
    Rule(
        "cannot_go_home",
        ABUSE,
        HIGH,
        r"(?:can't|cant|cannot|can +not|daren't|darent|don't +dare|dont +dare|too +scared +to)"
        r" (?:go|going|stay|be|sleep) (?:back +)?(?:home +)?(?:back +)?(?:there +)?(?:while|when"
        r"|if|because|with|as +long +as) (?:he|she|they|him|her|them|my +(?:partner|husband|wife"
        r"|boyfriend|girlfriend|dad|mum|stepdad|step-dad|step +dad|ex|brother|uncle))",
        "while|when|if|because|with|as long as",
        "'I can't go back while he's there', 'don't dare go home when he's drunk'.",
        "Someone unsafe at home: high.",
        ("I'm sleeping at my friend's because I can't go back while he's there",),
        unless=r"\b(?:covid|isolat\w*|contagious|infectious|chickenpox|flu|norovirus|bug)\b",
    ),
    Rule(
        "hurts_things_then_people",
        ABUSE,
        HIGH,
        r"(?:punch\w*|hit\w*|kick\w*|slap\w*|smash\w*|thr[eo]w\w*) (?:the +|a +)?(?:wall|walls"
        r"|door|doors|table|things|stuff|plates) (?:and|then|and +then|before|till|until)"
        r" (?:\w+ +)?(?:me|us|my +(?:mum|dad|sister|brother|kids|son|daughter))\b",
        "wall|door|table|things|stuff|plates",
        "Someone hitting the walls and then the writer.",
        "Violence at home: high.",
        ("she punches the wall then me",),
    ),
    Rule(
        "blood_found",
        SELF_HARM,
        CONCERN,
        r"blood (?:on|all +over|in) (?:my|the|her|his) (?:sheets|bed|arms?|clothes|floor|carpet"
        r"|towels?|sleeves?|hands|legs?|bathroom|sink)",
        "blood",
        "Blood on their sheets or sleeves.",
        "With a relapse or self-harm words it is high (self_harm_relapse); alone, concern.",
        ("there's blood on my sheets",),
        unless=r"\b(?:nose|nosebleed|period|tooth|teeth|dentist|gums?|shaving|paper +cut"
        r"|chopping|cut +my +finger|scratch\w* +(?:my +)?(?:eczema|bite|spot)|cat|dog|hamster"
        r"|baby|toddler|son|daughter|kids?|grazed|graze)\b",
    ),
    Rule(
        "death_as_relief",
        SUICIDAL,
        HIGH,
        r"(?:dying|death|being +dead|not +waking +up|not +being +here|it +all +ending)"
        r" (?:would|will|'d|might|could) (?:be|feel +like) (?:a +|such +a +)?(?:relief|release"
        r"|easier|better|peaceful|welcome|blessing|escape)|(?:not|no +longer|never) (?:afraid"
        r"|scared|frightened) (?:of +)?(?:dying|death|to +die)(?! +(?:in|on|at|when|because))"
        r"|(?:can't|cant|cannot|can +not) be (?:bothered|arsed) (?:to +)?(?:exist|live|living"
        r"|be +alive|be +here|carry +on|wake +up|with +life)"
        r"|deserve (?:pain|to +(?:suffer|be +hurt|be +punished|hurt|die|feel +pain|be +dead))",
        (
            "relief|release|easier|better|peaceful|welcome|blessing|escape|afraid|scared|frightened"
            "|bothered|arsed|deserve"
        ),
        "Death as a relief; no longer afraid of dying; can't be bothered to exist; deserving pain.",
        "Suicidal thought in indirect words: high.",
        (
            "I'm not afraid of dying anymore, it would be a relief",
            "honestly can't be bothered to exist anymore",
            "Feeling like I deserve pain",
        ),
        negatable=False,
    ),
    Rule(
        "misusing_medicine",
        PLAN,
        HIGH,
        r"(?:taking|taken|took|been +taking|had|having) (?:extra|more|double|twice +the|too"
        r" +many|too +much|loads +of|lots +of|way +more|handfuls +of) (?:of +)?(?:my +|the"
        r" +|her +|his +)?(?:{pills}|dose|doses)",
        PILL_KEYS + "|" + "dose",
        "Taking extra or double medicine.",
        "Misusing medicine can be an overdose in slow motion: high.",
        ("he has been taking extra tablets to 'make the days go quicker'",),
        unless=r"\b(?:doctor|gp|nurse|pharmacist|prescribed|told +(?:me|him|her) +to|as +advised"
        r"|vitamins?|iron|antibiotics|hay ?fever|allergy|inhaler|missed +(?:a|one|my)|forgot)\b",
    ),
    Rule(
        "weapon_waiting",
        HARM_OTHERS,
        URGENT,
        r"(?:hammer|knife|bat|baseball +bat|weapon|blade|crowbar|machete|gun|axe) {gap5}(?:for"
        r" +when|ready +for|waiting +for|in +case|for +if) (?:he|she|they|him|her|them|that"
        r" +[\w'-]+|my +[\w'-]+) {gap3}(?:comes|come|turns|turn|shows|show|gets|get|tries|try"
        r"|walks|walk|knocks|knock)",
        "hammer|knife| bat|weapon|blade|crowbar|machete|gun|axe",
        "A weapon kept ready for when someone comes.",
        "A plan to hurt someone: urgent.",
        ("I've got a hammer by the door for when he comes back and I'll use it",),
        unless=r"\b(?:burglar\w*|intruder|break-?in|robbed|fox|rats?|mice|diy|shelf|shelves"
        r"|picture|nails)\b",
    ),
    Rule(
        "purging_indirect",
        EATING,
        HIGH,
        r"(?:getting|get|got|gotten|gets) rid of (?:it|my +food|the +food|everything"
        r"|what +i +(?:eat|ate|'ve +eaten)|meals?)(?! +(?:from|in|out +of|at) +(?:the"
        r"|my) +(?:cupboard|fridge|house|kitchen|flat))|(?:(?:haven't|havent|have +not|not"
        r"|never) +)?(?:kept|keep|keeping) {gap2}(?:food|anything|meals?|it) down on purpose"
        r"|(?:not|haven't|havent|stopped) keeping (?:any +)?(?:food|anything"
        r"|meals?) +down(?! +(?:with|because|since|after) )|(?:down +to|only +(?:having|eating)"
        r"|just +(?:having|eating)|living +on) (?:one|1|a +single|half +a) (?:meal|snack"
        r"|sandwich) (?:every +(?:two|three|2|3|few|other|couple +of)(?: +days)?|a +day|a +week)",
        "rid of|down|having|eating|living on",
        "Getting rid of food after eating; keeping nothing down on purpose; one meal every two "
        "days.",
        "Purging or severe restriction: high.",
        (
            "I've been eating then getting rid of it",
            "Down to one meal every two days",
            "I haven't kept any food down on purpose for a week",
        ),
        requires=r"\b(?:eat\w*|ate|food|meals?|tea|dinner|lunch|breakfast|snack)\b",
        unless=r"\b(?:stomach +bug|norovirus|food +poisoning|sickness +bug|virus|pregnan\w*"
        r"|chemo|crisps|junk|sugar|biscuits|sweets|takeaways?|fast\w*|ramadan|lent)\b",
    ),
    Rule(
        "messages_to_harm",
        PSYCHOSIS,
        HIGH,
        r"(?:sending|sends|sent|giving|gives|gave|putting|puts) (?:me +)?(?:secret +|special"
        r" +|hidden +|coded +)?(?:messages|signs|signals|instructions|orders|commands|thoughts)"
        r" {gap5}(?:to|that +i +(?:should|must|have +to|need +to|'ve +got +to)) {gap3}(?:hurt"
        r"|kill|harm|cut|jump|stab|die|punish|attack|poison|burn|get +rid +of)\b",
        "messages|signs|signals|instructions|orders|commands|thoughts",
        "The television, the radio or someone 'sending messages' to hurt someone.",
        "Commands to harm felt to come from outside: high.",
        ("The man on the TV is sending me messages to hurt my neighbour",),
    ),
    Rule(
        "repeated_self_injury",
        SELF_HARM,
        HIGH,
        r"(?:keep|kept|been|keeps|started) (?:slamming|trapping|banging|hitting|punching|burning"
        r"|scratching|cutting|hurting|biting|pinching|stabbing) (?:my|her|his) (?:hands?|fingers"
        r"|arms?|legs?|wrists?|thighs?|skin|nails)(?! +(?:on|against) +(?:the +)?(?:keyboard"
        r"|piano|drums))|(?:keep|kept|been|keeps|started) (?:banging|hitting|smashing|slamming"
        r"|punching) (?:my|her|his) head (?:against|on|off|into) (?:the +|a +)?(?:walls?|floor"
        r"|doors?|table)|(?:picking|pick|picked|scratching|opening|reopening) (?:at +)?(?:my"
        r" +)?(?:scabs|wounds|cuts|scars) (?:on +purpose|deliberately|so +(?:they|it)"
        r" +(?:don't|won't|doesn't|can't|dont|wont) +heal|until|till|again)",
        (
            "slamming|trapping|banging|hitting|punching|burning|scratching|cutting|hurting"
            "|biting|pinching|stabbing|scab|wound|cuts|scars|smashing"
        ),
        "Keep slamming a hand in the door, picking scabs so they don't heal.",
        "Repeated self-injury: high.",
        (
            "I keep slamming my hand in the door",
            "Been picking at my scabs on purpose so they don't heal",
        ),
        unless=ACCIDENT,
    ),
    Rule(
        "unsafe_tonight",
        SUICIDAL,
        URGENT,
        r"(?:can't|cannot|cant|can not|won't +be +able +to|not +able +to|unable +to|not +sure"
        r" +i +can|don't +think +i +can|dont +think +i +can) (?:promise +)?(?:(?:i'?ll|i +will"
        r"|to) +)?(?:keep|stay) (?:{myself} +|me +)?safe",
        "safe",
        "Cannot keep themselves safe.",
        "The words of someone telling us they may act now: urgent.",
        (
            "I can't promise I'll keep myself safe tonight",
            "Can't keep myself safe right now",
        ),
        negatable=False,
    ),
    Rule(
        "attempt",
        PLAN,
        URGENT,
        r"(?:tried|attempted|trying|try|tryin) to (?:kill|hang|drown|overdose|od|end|suffocate"
        r"|strangle|poison|gas|cut) (?:{self}|my +(?:own +)?life|it +all|my +(?:wrists?|throat))",
        "tried|attempt|trying|try",
        "Trying to kill, hang or overdose themselves.",
        "A recent attempt: urgent. An attempt years ago is past talk.",
        ("tried to hang myself on saturday but the thing snapped",),
    ),
    Rule(
        "method_named",
        SUICIDAL,
        HIGH,
        r"(?:hang|hanging|hung|drown|drowning|poison|poisoning|gas|gassing|shoot|shooting|shot"
        r"|stab|stabbing|suffocate|strangle|strangling|electrocute|starve|starving|throw"
        r"|throwing|threw|chuck|chucking) {self}(?! +(?:in +the +foot|into +(?:work|it|the"
        r" +(?:job|work|project|deep +end))|at +(?:the +)?(?:problem|work|task|it)|down +on"
        r" +the +(?:sofa|bed|couch)|on +the +(?:sofa|bed|couch)))"
        r"|(?:step|stepping|jump|jumping|walk|walking|throw\w* +{self}|lie|lying|lay|run|running)"
        r" (?:out +)?(?:in +front +of|under|onto|on +to) (?:a|the|an) (?:[\w'-]+ +)?(?:trains?|bus"
        r"|buses|lorry|lorries|cars?|traffic|trucks?|tube|tracks|railway|oncoming|motorway)"
        r"|(?:jump|jumping|jumped|throw\w* +{self}|fall|falling|step|stepping|leap|leaping)"
        r" (?:off|from|out +of|over) (?:a|the|my|that|this) (?:[\w'-]+ +)?(?:bridge|building"
        r"|roof|cliff|balcony|car +park|tower|block|window|ledge|edge|multi-?storey|flat)"
        r"|crash\w* (?:my|the) car (?:on +purpose|deliberately)"
        r"|(?:driv\w*|drove|crash\w*|swerv\w*|steer\w*) (?:my +car +|the +car +)?(?:into|in"
        r" +front +of|off) (?:a|the) (?:wall|tree|lorry|bridge|oncoming|motorway|cliff|river"
        r"|barrier|truck)"
        r"|(?:walk|walking|swim|swimming|drive|driving|wade|wading|leave|leaving|go|going"
        r"|disappear|vanish) {gap3}(?:and|&) (?:not"
        r"|never) (?:coming|come) back",
        (
            "hang|hung|drown|poison|gas|shoot|shot|stab|suffocat|strangl|electrocut|starv|throw"
            "|threw|chuck|front of|under|onto|on to|jump|fall|step|leap|crash|driv|drove|swerv"
            "|steer|come back|coming back"
        ),
        "A method: hanging, drowning, stepping in front of a train, jumping off a bridge, "
        "driving into a wall, walking into the sea and not coming back.",
        "A suicidal thought with a method in mind: high; with intent or a time, urgent.",
        (
            "When I'm at the station I keep thinking about stepping in front of a train",
            "I sometimes think about driving into a wall on the motorway",
            "some days i think about walking into the sea and not coming back",
        ),
        unless=r"\b(?:film|book|series|episode|scene|character|stunt|bungee|parachute"
        r"|skydiv\w*|pool|diving|paddl\w*|swim(?:ming)? +(?:club|lesson|session|pool)"
        r"|throw +{self} +into|jump +off +the +(?:sofa|bed|wall +into)|starving,|i'?m +starving"
        r"|starving +(?:hungry|by)|hungry)",
    ),
    Rule(
        "in_a_high_place",
        PLAN,
        URGENT,
        r"(?:writing|texting|messaging|typing|sending) (?:this|you|these) (?:from|on|at) (?:the|a"
        r"|my) (?:[\w'-]+ +)?{high_place}|(?:{im}|i'?m +stood|i'?m +sat|standing|sitting|sat|stood"
        r"|i'?m +up|up) (?:here +)?(?:on|at|by|up +on|on +top +of|near) (?:the +|a +"
        r"|top +of +the +|the +top +of +(?:the +|my +)?|the +edge +of +(?:the +)?"
        r"|the +roof +of +(?:my +|the +)?)(?:[\w'-]+ +)?{high_place}(?: +(?:as +we +speak"
        r"|right +now|now|tonight))?",
        (
            "bridge|cliff|edge|roof|ledge|railway|tracks|balcony|top floor|multi|river|canal|sea"
            "|lake|reservoir|quarry|dock|harbour|pier|weir|motorway|writing|texting|messaging"
            "|typing|sending"
        ),
        "Being on a bridge, a cliff edge, a roof or the tracks.",
        "A place to jump from, now: urgent.",
        (
            "I'm at the cliff edge as we speak",
            "I'm standing on the bridge.",
            "I'm on the roof of my building and I keep looking down",
        ),
        unless=r"\b(?:view|views|photo|pics?|picture|sunset|sunrise|walk|walking|hike|hiking"
        r"|dog|picnic|lovely|beautiful|gorgeous|amazing|stunning|fixing|gutter|aerial|tiles"
        r"|with +(?:my|the|a|friends)|train +(?:to|from|home)|waiting +for +(?:the|a|my) +train"
        r"|delayed|platform +\d|coffee|tea|lunch|cafe|café|pub|bar|bridge +(?:club|game)"
        r"|watch\w*|calm\w*|boats?|ducks|swans|relax\w*|peaceful|fresh +air|fireworks"
        r"|climbing|tourist|holiday|edge +of +my +seat)",
    ),
    Rule(
        "looking_down",
        PLAN,
        HIGH,
        r"(?:top|edge|roof) of (?:the |a |my |that )?(?:[\w'-]+[ -]+){0,2}(?:car +park|building"
        r"|bridge|cliff|tower|block|flats)\b",
        "top of|edge of|roof of",
        "The top or edge of a car park, building or bridge, when they are looking down.",
        "A place to jump from: high.",
        ("I keep going back to the top of the multi-storey car park and looking down",),
        requires=r"looking +down|look +down|jump|drop|fall|edge|how +high",
    ),
    Rule(
        "putting_affairs_in_order",
        PLAN,
        HIGH,
        r"(?:sorted|sorting|sort|decided|deciding|written +down|worked +out|made +a +list +of)"
        r" (?:out +)?who (?:gets|will +get|should +(?:get|have)|can +have|is +having|has)"
        r" (?:my|all +my)\b"
        r"|(?:put|putting|got|get|getting|have) (?:everything|all +my +affairs|my +affairs"
        r"|my +things|things|all +my +things|my +stuff) in order"
        r"|(?:given|giving|gave|give) (?:away +)?(?:most +of +|all +of +|all +|some +of +)?my"
        r" (?:[\w'-]+ +(?:and +)?){0,2}(?:cat|dog|pets?|rabbit|guitar|belongings|possessions"
        r"|things|stuff|savings|jewellery|ring|records|collection) (?:away|to +(?:my|a|the|her"
        r"|his) +[\w'-]+)(?! +for +(?:her|his|their) +birthday)"
        r"|(?:given|giving|gave) away (?:most +of +|all +of +|all +|some +of +)?my (?:[\w'-]+"
        r" +(?:and +)?){0,3}(?:things|stuff|belongings|possessions|books|clothes|records"
        r"|jewellery|games)"
        r"|look after (?:her|him|them|it|my +[\w'-]+) better than i (?:can|could|ever +could)"
        r"|(?:imagine|imagining|picture|picturing|think +about|thinking +about) my (?:own +)?"
        r"funeral"
        r"|(?:planning|planned|plan|sorting|arranging|arranged|written|writing|wrote|write|made"
        r"|making|done|did|sorted) my (?:own +)?"
        r"(?:funeral|will\b|eulogy)",
        "who|in order|given|giving|gave|give|better than i|funeral|will|eulogy",
        "Giving things away, sorting out who gets their things, putting affairs in order, "
        "planning their funeral.",
        "Preparation for dying: high; with a plan or means, urgent.",
        (
            "I've sorted out who gets my guitar",
            "I've given away most of my books and clothes this week",
            "I gave my cat to my neighbour today, she'll look after her better than I can",
            "I've put everything in order, the bank stuff and a letter for my son",
            "i'm planning my funeral playlist",
        ),
        unless=r"\b(?:freecycle|charity +shop|ebay|vinted|facebook +marketplace|declutter\w*"
        r"|car +boot|sold|selling|moving|move +house|new +(?:flat|house|home)|spring +clean"
        r"|bought|buying|house|solicitor|baby|married|wedding|pension|kids +(?:are|were)"
        r"|charity|library|school|hospice|food +bank|church|nursery|jumble|oxfam|shop"
        r"|never +(?:play|use|used|wear|played|wore)|don'?t +(?:need|use|play|wear)|no +longer"
        r" +(?:need|use|play|fits?)|(?:he|she|they) +(?:loves?|wanted|needed|asked)"
        r"|donat\w*|outgrown|grown +out|too +small|for +(?:her|his|their) +birthday"
        r"|christmas|present|wedding|tax +return|paperwork +for|insurance|mortgage)",
    ),
    Rule(
        "goodbye_letters",
        PLAN,
        HIGH,
        r"(?:wrote|written|writing|write|left|leave|leaving|finished) (?:a +|some +|my +|the"
        r" +|letters? +|notes? +)?(?:goodbye +|suicide +|final +|last +)?(?:notes?|letters?)"
        r"\b",
        "wrote|written|writing|write|left|leave|leaving|finished",
        "Writing letters or notes just in case, for when they are found.",
        "Goodbye letters are preparation: high (urgent when they say 'for when they find me').",
        ("I wrote letters to my mum and my sister last night, just in case.",),
        requires=r"just +in +case|in +case +(?:anything|something)|for +when|goodbye|suicide"
        r"|final|when +i'?m +(?:gone|not +here)|for +after|if +anything +happens"
        r"|explain(?:ing)? +(?:why|everything)",
    ),
    Rule(
        "note_for_when_found",
        PLAN,
        URGENT,
        r"(?:note|letter|letters|notes|message) (?:for|to) (?:when|whoever|the +person +who)"
        r" {gap2}(?:find|finds|found)|suicide note|goodbye (?:note|letter)s?",
        "note|letter|message",
        "A note for when they are found, a suicide note, a goodbye letter.",
        "A plan: urgent.",
        ("I've written a note for when they find me",),
    ),
    # --- Self-harm --------------------------------------------------------------------------------
    Rule(
        "self_harm_word",
        SELF_HARM,
        HIGH,
        r"(?:self[- ]?harm\w*|selfharm\w*|self[- ]?injur\w*|sh (?:again|urges?|relapse|scars"
        r"|wounds?)|(?:urges?|urge) to (?:sh|self[- ]?harm|cut|burn|hurt +{myself}|harm"
        r" +{myself}))",
        "self|sh |urge",
        "Self-harm named (self harm, selfharm, sh urges).",
        "Self-harm now: high. Past or recovery talk cancels it.",
        (
            "I used to self-harm and the urges are back this week",
            "My friend told me she's been self harming",
        ),
        unless=r"self[- ]?harm +(?:awareness|training|module|course|group|workshop|leaflet"
        r"|policy|service|team|support +group|charity)|supervision|how to (?:respond|support"
        r"|help|talk)|(?:training|course|module|workshop|leaflet|webinar|policy) (?:on|about)",
    ),
    Rule(
        "self_harm_relapse",
        SELF_HARM,
        HIGH,
        r"relaps\w*\b|relaps\w* (?:with|on|into|in) {gap1}(?:self[- ]?harm\w*|sh|cutting"
        r"|hurting +{myself}|purging|bingeing|restricting|not +eating)|(?:urges?|urge"
        r"|thoughts) (?:are|is|have|has|'ve|'s) {gap1}(?:back|come +back|returned"
        r"|getting +(?:worse|stronger))",
        "relaps|back|returned|worse|stronger",
        "A relapse into self-harm; urges or thoughts coming back.",
        "Current self-harm despite recovery words ('after 8 months clean'): high.",
        ("Relapsed with self harm after 8 months clean",),
        past=False,
        requires=r"self[- ]?harm|\bsh\b|cut|burn|hurt|harm|suicid|kill|die|dying|blood|bleed"
        r"|scars?\b|wounds?|plasters?|bandage",
    ),
    Rule(
        "cutting",
        SELF_HARM,
        HIGH,
        r"(?:cut|cuts|cutting|cuttin|cutted|slice|sliced|slicing|slit|carve|carved|carving)"
        r" (?:into +)?(?:{self}|my +(?:arms?|wrists?|legs?|thighs?|skin|stomach|body|hips?)"
        r"|her +(?:arms?|wrists?|legs?|thighs?)|his +(?:arms?|wrists?|legs?|thighs?)"
        r"|their +(?:arms?|wrists?|legs?|thighs?))"
        r"|(?:cut|cutting|cuttin|cutted) (?:again|deeper|too +deep|last +night|this +morning)"
        r"|(?:been|started|start|keep|stop|back +to|gone +back +to) (?:cutting|cuttin)"
        r"(?=$|[.!?,;\n]| again| myself| and| but| more| every| at| since)",
        "cut|slice|slic|slit|carv",
        "Cutting themselves or their arms, legs, wrists; cutting again.",
        "Self-harm: high. Accidents in the kitchen are left alone.",
        ("i cut again last night. deeper than before", "i hve been cuttin again"),
        unless=ACCIDENT_OR_HAIRCUT,
    ),
    Rule(
        "hurting_self",
        SELF_HARM,
        HIGH,
        r"(?:hurt|hurts|hurting|harm|harms|harming|harmed|injure|injured|injuring|punish"
        r"|punishing|punished|hit|hitting|punch|punching|punched|bang|banging|banged|burn|burns"
        r"|burnt|burned|burning|scald|scalding|scalded|bite|biting|bit|starve|starving"
        r"|bruise|bruising) (?:{self})\b"
        r"(?! +(?:laughing|up +about|up +over|for +(?:eating|buying|not|being|saying)))"
        r"|(?:bang|banging|banged) (?:my|her|his) head (?:against|on|off) (?:the +)?wall",
        "hurt|harm|injur|punish|hit|punch|bang|burn|scald|bit|starv|bruis",
        "Hurting, harming, hitting or burning themselves.",
        "Self-harm: high. 'I'd never hurt myself' and accidents are left alone.",
        (
            "I've started hitting myself when I get angry at myself",
            "Burning myself with a lighter is the only thing that helps",
            "I've hurt myself again, it's bad this time",
        ),
        unless=ACCIDENT,
    ),
    Rule(
        "scratching",
        SELF_HARM,
        HIGH,
        r"(?:scratch\w*|pick\w*|claw\w*|scrap\w*|dig\w*) {gap3}(?:till|until|til|'til|untill) (?:it"
        r"|they|i|my +skin) (?:bleeds?|bled|bleeding)|(?:scratch\w*|pick\w*|claw\w*|scrap\w*)"
        r" (?:my|her|his|their) (?:arms?|legs?|wrists?|skin|thighs?) with (?:a|the|my|her|his)"
        r" (?:compass|blade|razor|knife|scissors|pin|needle|pen|glass|nails?)",
        "scratch|pick|claw|scrap|dig",
        "Scratching until they bleed, or with a compass or a blade.",
        "Self-harm: high.",
        (
            "I keep scratching my legs till they bleed",
            "she has been scratching her arms with a compass at school",
        ),
    ),
    Rule(
        "wont_stop_bleeding",
        SELF_HARM,
        URGENT,
        r"(?:won'?t|wont|will +not|can'?t +get +it +to|cant +get +it +to|doesn'?t|isn'?t) (?:stop"
        r"|stopping) +bleeding|bleeding (?:a +lot|loads|so +much|badly|heavily|everywhere"
        r"|won'?t +stop)|(?:cut|went) too deep",
        "bleeding|deep",
        "Bleeding that won't stop, a cut too deep.",
        "An injury in progress: urgent.",
        ("I've cut and it won't stop bleeding",),
        negatable=False,
        unless=r"\b(?:nose|nosebleed|gums?|period|tooth|dentist|shaving|paper +cut|chopping"
        r"|finger +(?:on|while))",
    ),
    # --- Harm to others --------------------------------------------------------------------------
    Rule(
        "harm_others_intent",
        HARM_OTHERS,
        HIGH,
        r"(?:{ill}|{want_to}|i'?d +like +to|i +feel +like +i'?m +going +to|i'?m +tempted +to"
        r"|i +need +to|i +have +to|i'?m +gonna|i +swear +i'?ll|i +will|going +to|gonna)"
        r" (?:really +|actually +|seriously +|fucking +|just +)?(?:hurt|kill|stab|strangle|batter"
        r"|beat +up|beat|punch|attack|shoot|murder|smash|throttle|knife|glass|burn|hit|get +back"
        r" +at|make +(?:him|her|them) +pay|do +(?:him|her|them) +in|bottle) {person}\b"
        r"(?! +(?:at|in) +(?:[\w'-]+ +)?(?:tennis|squash|golf|football|badminton|poker|bowling"
        r"|ping +pong|mario +kart|games?|match|race|quiz|sports?|rounders|netball|snooker"
        r"|cricket|chess|cards|scrabble|monopoly|pool|darts|fifa|the +(?:quiz|game"
        r"|race|pub +quiz)))"
        r"|(?:smash\w*|kick\w*|punch\w*|bash\w*|cav\w*) (?:his|her|their|someone'?s|somebody'?s"
        r"|that +\w+'?s|[\w'-]+'s) (?:face|head|teeth)"
        r" +in",
        (
            "hurt|kill|stab|strangl|batter|beat|punch|attack|shoot|murder|smash|throttl|knife"
            "|glass|burn|hit|back at|pay|do him|do her|do them|bottle|kick|bash|cave|cav"
        ),
        "Intending or wanting to hurt, kill or stab someone.",
        "A risk to others: high; going round there now makes it urgent.",
        ("I'm going to hurt him", "I want to stab him", "I'll hurt somebody"),
        unless=r"\b(?:if +(?:i'?m|i +am|i +don'?t|i +dont) +late|when +(?:he|she|they) +(?:finds?"
        r"|find) +out|(?:hurt|kill) +(?:him|her|them) +with +kindness|laugh\w*|lol|haha|😂"
        r"|(?:she'?s|he'?s|they'?ve|she +has|he +has|they +have) +(?:taken|eaten|borrowed|nicked"
        r"|broken|lost|used|drunk|finished|pinched)|(?:taken|eaten|borrowed|nicked|pinched) +my)",
    ),
    Rule(
        "could_hurt_someone",
        HARM_OTHERS,
        HIGH,
        r"i could (?:really +|actually +|seriously +)?(?:hurt|stab|harm|attack|seriously +hurt)"
        r" {person}",
        "could",
        "'I could really hurt someone' (not 'I could kill/strangle': those are figures of speech).",
        "Said in anger about a person, it is a risk to others: high.",
        ("I'm so angry I could really hurt someone right now",),
    ),
    Rule(
        "kill_yourself_at_others",
        HARM_OTHERS,
        HIGH,
        r"(?:kys|k\.y\.s|kill (?:yourself|urself|ur +self|your +self)|go (?:and +)?die"
        r"|(?:hope|wish) (?:you|u) (?:die|dies|get +hurt|were +dead)|(?:i'?ll|i +will|gonna"
        r"|going +to) (?:find +(?:you|u)|hurt +(?:you|u)|kill +(?:you|u)|get +(?:you|u)))\b",
        "kys|k.y.s|kill|die|dead|hurt|find you|find u|get you|get u",
        "Telling someone to kill themselves ('kys'), threats to 'you'.",
        "Abuse or a threat aimed at someone: high.",
        ("you should just kys",),
        unless=r"\b(?:(?:told|tell|telling|said|says|say) +(?:me|us) +to +(?:kys|kill +myself"
        r"|go +die)|go +die +(?:in|of) +a +(?:ditch|hole)|lol|lmao|haha|jk|joking|😂|🤣"
        r"|if +(?:you|u) +(?:spoil|eat|touch|tell|forget|break|lose|don'?t|dont|finish|drink))",
    ),
    Rule(
        "dangerous_person_threat",
        HARM_OTHERS,
        HIGH,
        r"(?:i'?ll|i +will|i'?m +gonna|i'?m +going +to|i'?d) (?:kill|murder) (?:him|her|them"
        r"|my +{relative}),? {gap3}(?:i +mean +it|i'?m +(?:serious|not +joking)|not +joking"
        r"|honestly|i +swear)",
        "mean it|serious|joking|honestly|swear",
        "'I'll kill him, I mean it.'",
        "A threat said to be meant: high.",
        ("if he comes near my kids again I'll kill him, I mean it",),
    ),
    # --- Abuse, unsafe at home --------------------------------------------------------------------
    Rule(
        "violence_at_home",
        ABUSE,
        HIGH,
        r"{abuser}(?:'s|'s +been| +is| +was| +has +been| +keeps| +kept)? (?:always +|still +|often"
        r" +|sometimes +|keeps +|has +|had +|just +|usually +|once +|also +|even +|then"
        r" +|started +|again +)?(?:hits?|hitting|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?"
        r"|slap(?:s|ped|ping)?|push(?:es|ed|ing)?|shov(?:es|ed|ing)|beats?|beating|beaten"
        r"|batter(?:s|ed|ing)?|strangl(?:es|ed|ing)|chok(?:es|ed|ing)|throttl(?:es|ed|ing)"
        r"|grabb?(?:s|ed|ing)|rap(?:es|ed|ing)|burn(?:s|t|ed)|pin(?:s|ned|ning)|slam(?:s|med"
        r"|ming)|thr[eo]w +things +at|threw"
        r" +(?:a|the) +[\w'-]+ +at|bit|bites|spat +(?:at|on)|locks?|locked) {victim}\b"
        r"(?! +(?:up +(?:with|for)|with +(?:a|the) +(?:question|idea|fact|news|bill|offer"
        r"|suggestion|joke)))"
        r"|{abuser} (?:held|holds|holding|dragged|drags|dragging|pulled|pulls) (?:me|her|him|us)"
        r" (?:down|against|by +(?:the|my|her|his)|across|along|up +the +stairs|down +the +stairs"
        r"|on +the +(?:floor|ground|bed)|under|round)",
        (
            "hit|punch|kick|slap|push|shov|beat|batter|strangl|chok|pin|slam|drag|held|hold"
            "|throttl|grab|rap|burn|thr|bit|spat|lock|pull"
        ),
        "Someone at home hitting, kicking, strangling, pushing or locking in the writer or "
        "another family member.",
        "Abuse: high. 'He hit the jackpot' is left alone by the word after.",
        (
            "he hits me when he's drunk",
            "mum's boyfriend hits me and my little brother",
            "He pushed me down the stairs last night",
            "her husband strangled her last week",
        ),
        unless=r"\b(?:toddler|baby|puppy|dog|cat|ball|accident\w*|by +mistake|play(?:ing|ful)"
        r"|tickl\w*|football|rugby|boxing|sparring|pillow|cushion|sock|teddy|game|banter"
        r"|messing +about|mucking +about|for +(?:spoiling|taking|eating|winning|teasing"
        r"|cheating))\b",
    ),
    Rule(
        "threat_to_me",
        ABUSE,
        HIGH,
        r"{abuser}(?:'ll| will| would|'d| is going to|'s going to| said (?:he|she|they)'?(?:d|ll)"
        r"|says +(?:he|she|they)'?(?:ll|d|will|would)|threaten(?:s|ed|ing)? +to"
        r"|keeps +threatening +to|has +threatened +to|swore +(?:he|she|they)'?d) {gap5}(?:kill"
        r"|hurt|batter|beat|hit|stab|strangle|burn|get) (?:me|us|the +kids|my +(?:kids|children"
        r"|mum|dad|baby))\b|{abuser}(?:'ll| will| would|'d| said (?:he|she|they)'?(?:d|ll)"
        r"| threatened +to) (?:burn|set +fire +to|torch|blow +up) (?:the|my|our) (?:house|flat"
        r"|place|home|car)(?: +down)? (?:with|while) (?:me|us|the +kids|my +\w+) in",
        (
            "torch|fire|blow up|kill|hurt|batter|beat|hit|stab|strangl|burn|get me|get us"
            "|get the kids|get my"
        ),
        "A threat: 'he says he'll kill me if I leave', 'he said he'd hurt me', 'he'd burn "
        "the house down with me in it'.",
        "Abuse: high.",
        (
            "my partner checks my phone, takes my wages and says he'll kill me if I leave",
            "I'm afraid to go back to the flat, he said he'd hurt me",
        ),
        unless=r"\b(?:if +i'?m +late|if +i +(?:forget|miss|break|lose|eat|spoil|tell +(?:him|her)"
        r" +about +the)|when +(?:he|she|they) +(?:finds?|find|see|sees) +(?:out|this|the)"
        r"|for +(?:eating|breaking|losing)|lol|haha|😂|joke|joking|(?:mum|mam|mom|dad|nan|gran"
        r"|boss|wife|teacher|sister|brother|mother|father) +(?:would|will|'ll|'d|is +going +to)"
        r" +kill +me|if +(?:she|he|they) +(?:saw|sees|found|finds|knew|knows|heard|hears))",
    ),
    Rule(
        "scared_at_home",
        ABUSE,
        HIGH,
        r"(?:scared|afraid|frightened|terrified|too +scared|scared +stiff|petrified) (?:to +go"
        r"|of +going|to +be|of +being|to +stay|to +sleep|to +return) (?:back +)?(?:home|back"
        r" +(?:home|to +(?:the|my|our) +(?:house|flat|place))|in +(?:the|my|our) +(?:house"
        r"|flat|home))\b"
        r"|(?:scared|afraid|frightened|terrified|petrified) (?:to +go +back|of +going +back) to"
        r" (?:the|my|our|his|her) (?:flat|house|place|home)"
        r"|(?:not|don't|dont|never|no +longer|doesn't|don't +really) (?:feel +|feeling +)?safe"
        r" (?:at +home|in +(?:my|our|the) +(?:own +)?(?:house|home|flat)|(?:with|around)"
        r" +(?:him|her|them|my +{relative})|to +go +home|going +home)"
        r"|(?:scared|afraid|frightened|terrified|petrified) of (?:him|her|my +(?:partner|husband"
        r"|wife|boyfriend|girlfriend|dad|mum|step[- ]?dad|step[- ]?mum|ex|brother|uncle|mum'?s"
        r" +(?:boyfriend|partner)|dad'?s +(?:girlfriend|partner)))\b"
        r"|(?:scared|afraid|frightened|terrified|petrified) (?:he|she|they)'?(?:ll|will|'s"
        r" +going +to|might|is +going +to) (?:hurt|hit|start +on|kill|come|beat|do +something"
        r"|find +(?:out +where|me)|track +me|follow +me|turn +up|come +after|come +for)",
        "scared|afraid|frightened|terrified|petrified|safe",
        "Scared to go home, not safe at home, frightened of a partner or parent.",
        "Someone unsafe at home: high.",
        (
            "I'm scared to go home",
            "I don't feel safe at home anymore",
            "I'm scared he'll start on me",
        ),
        negatable=False,
    ),
    Rule(
        "control_at_home",
        ABUSE,
        HIGH,
        r"(?:takes|took|keeps|controls|has) (?:all +)?(?:my|her|his|their) (?:money|wages|wage"
        r"|bank +card|benefits|pay|phone|passport|keys)\b|(?:checks|reads|goes +through|monitors"
        r"|tracks) (?:my|her|his|their) (?:phone|messages|texts|location|spending|bank|receipts)"
        r"|checks every penny|(?:won't|doesn't|wont|doesnt|never|hasn't|hasnt|didn't|didnt"
        r"|wouldn't|wouldnt|isn't +letting|isnt +letting) let(?:s)? (?:me|her|him"
        r"|them) (?:have +any|leave|see +my|go +out|have +(?:money|my|a +phone|friends)|talk +to"
        r"|eat|sleep|out +of)|(?:locks|locked) me (?:in|out)|comes? in(?:to)? (?:my|her|his"
        r"|their) (?:room|bed|bedroom) (?:at +night|when)|(?:touch|touches|touched"
        r"|touching) me (?:where|down +there|when +(?:i|mum)|at +night|and +i +(?:don't|didn't))"
        r"|(?:makes|made) me (?:have +sex|do +(?:things|stuff) +i +(?:don't|didn't))|(?:forces?"
        r"|forced|forcing|pressures?|pressured|makes|made|making) (?:me|her|him"
        r"|them) (?:to +)?(?:have +sex|do +(?:sexual|stuff +(?:i|she|he) +(?:don't|doesn't"
        r"|didn't))|sleep +with|do +things +(?:i|she|he) +(?:don't|doesn't|didn't))|(?:being"
        r"|getting|been) (?:hurt|hit|abused|beaten|attacked|harmed|threatened|raped"
        r"|touched) (?:at +home|by +(?:him|her|them|my|his|their|mum|dad|[\w'-]+ +(?:partner"
        r"|husband|wife|boyfriend|girlfriend|dad|mum|stepdad|uncle)))|(?:he|she|they|partner"
        r"|husband|wife|boyfriend|girlfriend|dad|mum|stepdad) (?:is|'s|has +been|keeps) (?:abusing"
        r"|raping|hurting|hitting|threatening) (?:me|her|him|us)|abusive (?:relationship|partner"
        r"|husband|wife|boyfriend|girlfriend|home|dad|mum)|(?:raped|sexually +assaulted|molested"
        r"|groped) (?:me|her|him)\b",
        (
            "money|wage|bank|benefit| pay|phone|passport|keys|messages|texts|location|let|lock"
            "|room|bed|touch|made|make|mak|forc|pressur|hurt|hit|abus|beat|attack|harm|threat"
            "|rap|assault|molest|grop|penny|checks|spending|receipts"
        ),
        "Controlling money, phone or movements; coming into a room at night; unwanted touching.",
        "Coercive control and abuse: high.",
        (
            "my partner checks my phone, takes my wages",
            "N said her stepdad comes into her room at night and she's frightened.",
        ),
        unless=r"\b(?:bank +(?:app|holiday)|new +phone|screen +time|lost +my +(?:phone|keys)|\bex\b"
        r"|used +to|former|wasp|bee|sun|nettles"
        r"|(?:the|my) +(?:cat|dog|kid|kids|son|daughter|baby|toddler)\b)",
    ),
    Rule(
        "hiding_from_someone",
        ABUSE,
        HIGH,
        r"(?:locked|barricaded|hiding|hid|hidden) (?:(?:myself|ourselves|me and the kids) )?"
        r"(?:in )?(?:the|my|our) (?:bathroom|bedroom|room|toilet|loo|car)"
        r"|(?:he|she|they)'?s (?:smash\w*|kick\w*|broken|breaking|banging +(?:on|at)|punch\w*"
        r"|trying +to +(?:get|break)) (?:in +)?(?:the|my|our) (?:door|window|windows)",
        "lock|barricad|hid|door|window",
        "Locked in the bathroom, someone smashing the door.",
        "Hiding from someone at home: high; with them here now, urgent.",
        ("I've locked myself in the bathroom, he's smashed the door",),
        unless=r"\b(?:locked +(?:myself +)?out|keys|bath +bomb|phone +signal|revising)",
    ),
    # --- Not eating, purging ----------------------------------------------------------------------
    Rule(
        "not_eaten_for_days",
        EATING,
        HIGH,
        r"(?:haven't|have +not|havent|hav +not|hasn't|hasnt|not|didn't|didnt|barely|hardly)"
        r" (?:really +)?(?:eaten|ate|eat|had +(?:anything|a +(?:proper +)?meal|food|a +bite)"
        r"(?: +to +eat)?|eaten +(?:anything|properly|a +thing)|been +eating(?: +properly)?)"
        r" {gap1}(?:in|for|since) (?:{days}|{weekday})"
        r"|(?:not|haven't|havent|stopped) (?:been +)?eating (?:again|at +all|anything|properly"
        r" +for|for +{days})"
        r"|(?:don't|dont|do +not) deserve to (?:eat|food)",
        "eat|ate|had|deserve",
        "Not eating for days.",
        "Restricting food: high. Not eating 'today' or 'since breakfast' is left alone.",
        (
            "I haven't eaten in four days",
            "haven't had anything since Sunday and it's Thursday",
            "i havent eaten properly in over a week",
        ),
        negatable=False,
        unless=r"\b(?:fast\w*|ramadan|lent|yom +kippur|stomach +bug|norovirus|sickness +bug|op\b"
        r"|operation|surgery|hospital +(?:said|told)|tooth|dentist|blood +test|colonoscopy|(?:out"
        r"|eating|eaten|eat|ate) +out|takeaway|restaurant|meat|dairy|sugar|gluten|crisps|chocolate"
        r"|sweets|vegan|vegetarian)",
    ),
    Rule(
        "purging",
        EATING,
        HIGH,
        r"(?:make|makes|made|making) {self} (?:be +)?(?:sick|throw +up|vomit|puke)|(?:purg\w+)"
        r"|(?:throw|throwing|threw|bring|bringing|brought|chuck|chucking|sick) (?:it +|my +food +"
        r"|everything +|food +|meals +)?up (?:my +food|the +food|everything +i +eat"
        r"|after +(?:eating|every|meals|food|tea|dinner|lunch|breakfast|i +(?:eat|ate"
        r"|'ve +eaten)))|(?:bring|bringing|brought|throw|throwing) up (?:my +|the +)?(?:food"
        r"|meals)|(?:laxatives|laxative|diet +pills|water +pills)\b|(?:only|just|under|less +than"
        r"|no +more +than)(?: +letting +{myself} +(?:have|eat))? (?:\d{2,3}"
        r"|a +few +hundred) (?:calories|cals|kcal)|(?:letting|let|allow\w*) {myself} (?:have"
        r"|eat) (?:only +|just +)?(?:\d{2,3}|one +meal|nothing)|starv(?:e|ing|ed) {myself}"
        r"|(?:binge|binging|bingeing) and (?:purge|purging|throwing +up|being +sick)",
        (
            "sick|throw|threw|bring|brought|chuck|vomit|puke|purg|laxative|diet pill|water pill"
            "|calorie|cals|kcal|letting|let my|let me|allow|starv|binge|binging"
        ),
        "Making themselves sick, purging, laxatives, a few hundred calories a day.",
        "Purging or severe restriction: high. 'I was sick after the prawns' is not matched.",
        (
            "I make myself sick after every meal",
            "I took laxatives again after dinner",
            "I'm only letting myself have 400 calories a day",
            "I keep bringing up my food after meals",
            "I've been starving myself since Christmas",
        ),
        unless=r"\b(?:purg\w+ +(?:my|the|our) +(?:wardrobe|clothes|emails|inbox|cupboards"
        r"|stuff|files|junk|loft|garage|kitchen|photos)|declutter|constipat\w*|bowel|doctor"
        r" +(?:gave|prescribed)|prescribed|colonoscopy|hospital +(?:gave|told)|food +poisoning"
        r"|bug|norovirus|pregnan\w*|morning +sickness|hangover|hungover|motion|ferry|boat"
        r"|travel|rollercoaster|chemo)",
    ),
    # --- Psychosis with commands to harm ----------------------------------------------------------
    Rule(
        "voices_commanding_harm",
        PSYCHOSIS,
        HIGH,
        r"(?:voices?|they|he|she|him|her|them|it|something|someone) {gap5}(?:tell|tells|telling"
        r"|told|say|says|saying|said|want|wants|wanting|order|orders|ordering|ordered|command\w*"
        r"|make|makes|making|made|keep +telling|keeps +telling|are +telling|is +telling|urge\w*"
        r"|instruct\w*) {gap8}(?:to|i +(?:have|need|must|should|ought|got)|me +to|her +to|him +to"
        r"|them +to) {gap3}(?:hurt|kill|harm|cut|jump|stab|die|drown|hang|burn|attack|punish"
        r"|poison|strangle|end|deal +with|get +(?:him|her|them|rid)|do +it|do +(?:bad|terrible"
        r"|horrible|awful|evil) +things|do +something +(?:bad|terrible|awful|evil))\b",
        "voice|hear|in my head|god|devil|demon|spirit|something|angel|command",
        "Voices telling the person to hurt themselves or others, to jump, to kill.",
        "Command hallucinations to harm: high.",
        (
            "the voices are telling me to hurt myself",
            "The voice says I have to jump or my family will die",
            "The voices want me to cut myself",
            "hearing voices telling her to hurt her baby",
        ),
        past=False,
        requires=r"voice|hear|hearing|in +my +head|god|devil|demon|spirit|something|angel"
        r"|command",
    ),
    # --- Modifiers --------------------------------------------------------------------------------
    Rule(
        "very_drunk",
        INTOXICATION,
        "",
        r"(?:(?:drunk|drank|had|downed|necked|finished|killed|on|down|through|gone +through|sunk)"
        r" {gap2}(?:a +|the +|whole +|a +whole +|most +of +(?:a|the) +|half +(?:a|the) +|\d+"
        r" +|two +|three +|four +|five +)?(?:bottles?|litres?|pints?|cans|shots?) (?:of +)?"
        r"{spirits}?|(?:\d+|ten|twelve|fifteen|twenty|several|loads +of|a +dozen) (?:pints|shots"
        r"|cans|drinks)|(?:two|three|four|five|\d) bottles of {spirits}|bottles? of {spirits}"
        r" (?:down|gone|in)|(?:so|very|really|proper|completely|totally|absolutely) (?:drunk"
        r"|wasted|smashed|hammered|battered|pissed|high|mashed|off +my +face)|off my (?:face"
        r"|head|tits|box|nut)|(?:taken|took|done|doing|on) (?:loads +of +|some +|a +load +of"
        r" +|too +much +)?(?:coke|cocaine|ket|ketamine|mdma|pills|spice|drugs|heroin|crack"
        r"|valium|benzos)|(?:had|drunk|drank) (?:loads|lots|a +lot|far +too +much|way +too +much"
        r"|too +much|so +much) (?:to +drink|of +(?:wine|vodka|gin|beer|cider|booze))|(?:been"
        r" +)?drinking (?:all +(?:day|night|afternoon|evening)|since +(?:this +morning|lunch"
        r"|noon|\d+))|i'?m (?:drunk|wasted|smashed|hammered|off +my +face|high|pissed))",
        (
            "bottle|litre|pint|cans|can of|shot|drink|drunk|drank|wasted|smashed|hammered"
            "|battered|pissed|high|mashed|off my|coke|cocaine|ket|mdma|pills|spice|drugs|heroin"
            "|crack|valium|benzo|wine|vodka|gin|beer|cider|booze"
        ),
        "Being very drunk or high: a bottle of vodka, ten pints, off my face.",
        "Not a sign of risk alone; with another sign it makes it urgent (the intoxication "
        "category), because drink and drugs turn thoughts into acts.",
        (
            "I've drunk a bottle of vodka",
            "Three bottles of wine down",
            "just finished the bottle of whiskey",
            "I've had about 10 pints",
        ),
        tag=INTOXICATED,
        negatable=False,
        past=False,
    ),
    Rule(
        "danger_here_now",
        ABUSE,
        "",
        r"(?:he|she|they)'?(?:s| +is| +are|'re) (?:downstairs|outside|here|at +the +door"
        r"|banging|coming +back|on +(?:his|her|their) +way|back|in +the +house|upstairs"
        r"|shouting|screaming|smashing|kicking|breaking|drunk +again|got +a +knife)"
        r"|(?:he|she|they)'?(?:ve|s| +has| +have) (?:smash\w*|kick\w*|broken|got +a +knife)",
        (
            "downstairs|outside|here|door|bang|coming|on his|on her|on their|back|in the house"
            "|upstairs|shout|scream|smash|kick|break|broken|drunk|knife"
        ),
        "The person they fear being here now: downstairs, outside, smashing the door.",
        "With a sign of abuse, danger now: urgent.",
        ("He's downstairs shouting",),
        tag=DANGER_NOW,
        negatable=False,
        past=False,
    ),
    Rule(
        "going_round_now",
        HARM_OTHERS,
        "",
        r"(?:going|heading|on +my +way|driving|walking|coming) (?:round|over|to +(?:his|her"
        r"|their)) {gap2}(?:now|tonight|right +now)|(?:going|heading) round there"
        r"|on my way (?:round|over|to +(?:his|her|their))",
        "round|over|way|to his|to her|to their",
        "Going round to someone now.",
        "With wanting to hurt someone, urgent.",
        ("I'm going round there now",),
        tag=GOING_NOW,
        negatable=False,
        past=False,
    ),
    Rule(
        "goodbye_words",
        SUICIDAL,
        "",
        r"(?:goodbye|good-bye|good +bye|bye (?:everyone|all|forever)|farewell|this is it"
        r"|last (?:message|text)|i love (?:you|u)|love (?:you|u) all|it'?s time(?= *(?:$|[.!\n])))",
        "bye|farewell|this is it|last|love|time",
        "Goodbye.",
        "With farewell words ('none of this is your fault'), a goodbye message: urgent.",
        ("Goodbye.",),
        tag=GOODBYE,
        negatable=False,
        past=False,
    ),
)


# Context ---------------------------------------------------------------------------------------

# A negation within the three words before a phrase cancels it ("I'd never hurt myself",
# "I'm not suicidal", "I don't really want to die").
NEGATION_BEFORE = re.compile(
    r"(?:^|[^\w'])(?:not|never|no|nobody|noone|nothing|neither|nor|without|cannot"
    r"|(?:do|does|did|is|are|was|were|have|has|had|would|could|should|ca|wo|must|need|ai)n'?t)"
    r"(?: +[\w'-]+){0,2} *$"
)

# Words that look like a negation but do not negate what follows ("I can't stop thinking about
# killing myself", "I'm not sure I want to live").
PSEUDO_NEGATION_BEFORE = re.compile(
    r"(?:(?:can'?t|cannot|couldn'?t|can +not) +(?:stop|help|get +rid +of)|not +sure|don'?t +know"
    r"|no +idea|not +just|not +only|never +(?:been|felt) +(?:so|more|this)|not +(?:ok|okay|alright"
    r"|good|great|fine|well|coping|doing +(?:well|ok|okay|great)"
    r"|in +a +good +place))(?: +[\w'-]+){0,3} *$"
)

# Talk of the past or of recovery in the same sentence ("I used to cut", "when I was 17",
# "two years since I last self-harmed", "eight months clean").
PAST = re.compile(
    expand(
        r"\b(?:used to|use to|years? ago|months ago|a long time ago|long ago|back (?:in|then"
        r"|when)|in the past|when i was (?:younger|little|small|a (?:kid|child|teen\w*|student)"
        r"|at (?:school|uni|college)|in (?:my|year) \w+|\d+|\w+teen)|as a (?:kid|child|teen\w*"
        r"|student)|in my (?:teens|twenties|thirties)|(?:years?|months?|a year"
        r"|a month) (?:today )?since|since i (?:last|stopped|quit)|(?:clean|free) (?:for|since)"
        r"|(?:days?|weeks?|months?|years?) (?:clean|free)|(?:clean|free) (?:from|of)|no longer"
        r"|in recovery|recovered"
        r"|i survived|(?:got|came) through|(?:proud|prouder) (?:of|that))"
    )
)

# ...unless the clause itself says it is happening now or again ("I used to self-harm and the
# urges are back this week").
RECENT = re.compile(
    expand(
        r"\b(?:last night|tonight|this (?:morning|week|evening|afternoon|weekend)|right now"
        r"|again|yesterday|just now|rn|at the moment|still|are back|is back|came back|come back"
        r"|relaps\w*|started|starting)\b"
    )
)

# A sentence about a film, book, the news... is a story, not the writer: phrases there that do
# not name the writer ("the dad dies", "a woman who survived a suicide attempt") are cancelled.
STORY = re.compile(
    r"\b(?:films?|movies?|books?|novels?|series|shows?|episodes?|documentar(?:y|ies)|dramas?"
    r"|characters?|podcasts?|songs?|lyrics|plays?|articles?|news|headlines?|stor(?:y|ies)"
    r"|true +crime|soaps?|video +games?|season|storyline|plot|scene|chapter|netflix|bbc"
    r"|itv|telly|tv|cinema|theatre|programmes?|radio)\b"
)

# The writer: a phrase with one of these words is about them, even in a sentence about a film.
FIRST_PERSON = re.compile(r"\b(?:i|i'?m|im|i'?ve|ive|i'?d|i'?ll|me|my|myself|mine)\b")

# Figures of speech that contain alarming words. A phrase overlapping one of these is cancelled
# ("I'm dying for a cup of tea", "I could strangle my printer", "that joke killed me").
FIGURES_OF_SPEECH = re.compile(
    expand(
        r"\b(?:dying (?:for|to|of)|die (?:of|from) (?:embarrassment|shame|laughing|laughter"
        r"|boredom|nerves|cringe|heat|hunger|thirst|excitement|happiness|jealousy|old age)"
        r"|(?:nearly|almost|literally|could have|could've|just) died (?:laughing|of|when|on"
        r"|at|from)|to die for|rather die than|bored to death|scared to death|worried sick"
        r"|sick (?:and|&) tired|sick to death|the death of me|dead on my feet|dead to the world"
        r"|dead tired|killing (?:me|it|time|us)|kill(?:ed|s)? (?:it|time)|kill for"
        r"|killed me\b|would kill for|could (?:kill|strangle|murder|throttle|swing for|brain)"
        r" (?:for|him|her|them|my|the|that|this|a|someone|somebody|you)|(?:murder|murdered|kill)"
        r" (?:a|the) (?:curry|pizza|burger|pint|kebab|cuppa|brew|song|tune)|kill two birds"
        r"|shoot me now|shot myself in the foot|kick myself|kicking myself|hate myself for"
        r" (?:eating|buying|saying|forgetting|not)|i'?ll kill (?:you|u) (?:lol|haha|x)"
        r"|(?:over|on) my dead body|drop dead gorgeous|dead (?:good|nice|funny|easy|keen|cute"
        r"|chuffed|jealous|posh|proud)|died a death|(?:slay|slayed|slaying|killing it|killed"
        r" it)|my (?:legs|feet|back|head|arms) (?:are|is) (?:dead|killing)"
        r"|(?:phone|battery|laptop|plants?|car|printer) (?:has |had |have )?died"
        r"|(?:nearly|almost|practically) kill(?:ed)? {self} (?:laughing|on|tripping|falling|when"
        r"|getting|trying|carrying|running|doing))\b"
    )
)

# Hyperbole about everyday annoyances ("if I have to sit through one more meeting I'll jump out
# of the window"): in such a sentence, signs below urgent are cancelled.
EVERYDAY_HYPERBOLE = re.compile(
    expand(
        r"\b(?:one more|another|any more) (?:[\w'-]+ )?(?:meetings?|e-?mails?|spreadsheets?"
        r"|reply-alls?|zoom|teams calls?|adverts?|jingles?|songs?|episodes?|forms?|budgets?"
        r"|presentations?|powerpoints?|queues?|group chats?|conference calls?|training days?"
        r"|team-building|karaoke|assignments?|essays?|deadlines?|shifts?)\b"
    )
)

# Sentences end at ., !, ? and line breaks; clauses also at , ; : ( ) and "but".
SENTENCE_END = re.compile(r"[.!?\n]+")
CLAUSE_END = re.compile(r"[,;:()\u2026]| but | though | although | - ")
