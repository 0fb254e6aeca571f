"""Cue lexicons of the rule-based extractor: stance cues, speech verbs, plan nouns.

These word lists are the extractor's own (the case supplies actors' aliases and
issues' keywords). Each stance cue is a regular expression with the stance it
signals and a *kind* that the sentence combiner uses:

- ``removal`` — wants a provision struck out ("demand the elimination of") →
  oppose, whatever conditions follow;
- ``verb`` — a stance verb or adjective ("reject", "welcome", "unacceptable");
- ``marker`` — a condition attached to another stance ("only if", "unless",
  "before any", "must first"): it turns support or rejection into ``conditional``;
- ``threat`` — threatening to take by force what the plan would give → support
  (GUIDELINES.md convention);
- ``agree`` — "as the draft itself foresees": the stance of the clause before
  agrees with the plan → support.

The patterns follow the cue-based stance detection of Somasundaran & Wiebe
(2010, *Recognizing stances in ideological on-line debates*) and the
conditional-marker lists of Narayanan et al. (2009, *Sentiment analysis of
conditional sentences*), cut down to the diplomatic register of news reports.

>>> import re
>>> any(re.search(p, "only if certain red lines are respected", re.I) for p, *_ in STANCE_CUES)
True
"""

from __future__ import annotations

from typing import Literal

CueKind = Literal["removal", "verb", "marker", "threat", "negated", "agree"]
Stance = Literal["support", "conditional", "oppose"]

# (regex, stance, kind, weight). Case-insensitive; word boundaries are added by the compiler.
STANCE_CUES: tuple[tuple[str, Stance, CueKind, float], ...] = (
    # -- removal: oppose regardless of conditions ---------------------------------
    (
        r"(?:demand|seek|want|call for|push for|insist on)s?(?:ed)? (?:the )?"
        r"(?:elimination|removal|deletion|scrapping|abolition)",
        "oppose",
        "removal",
        0.9,
    ),
    (
        r"(?:eliminat|scrap|delet|strik|remov|drop|abolish)(?:e|es|ed|d|s|ped|ping|ing|e out|es out|ing out)? "
        r"(?:all |the |any )?(?:\w+ ){0,3}"
        r"(?:guarantees?|provisions?|points?|clauses?|cap|ceiling|ban|plan|proposal|formula|wording|requirement|"
        r"reference|article|paragraph|section|scheme|language)",
        "oppose",
        "removal",
        0.8,
    ),
    (
        r"(?:(?:was|were|is|are|has been|have been|had been|be) )?(?:struck out|struck|deleted|scrapped|removed|"
        r"thrown out|taken out|cut out|excised)(?= by| from| entirely| altogether| outright|$|[,.;])",
        "oppose",
        "removal",
        0.75,
    ),
    (
        r"(?:throw|throws|threw|strike|strikes|strip|strips|stripped|cross|crosses|crossed) out",
        "oppose",
        "removal",
        0.75,
    ),
    (r"(?:should|must|can|could) not (?:remain|stay|survive)|(?:did|does|would) not survive", "oppose", "removal", 0.7),
    (r"no \w+ (?:\w+ ){0,4}(?:should|must|can|could) (?:remain|stay|survive)", "oppose", "removal", 0.7),
    (
        r"(?:whose|its|the|their) (?:removal|deletion|scrapping|elimination|withdrawal from the text)",
        "oppose",
        "removal",
        0.6,
    ),
    # -- oppose --------------------------------------------------------------------
    (r"(?:balk|balks|balked|balking) at", "oppose", "verb", 0.7),
    (
        r"(?:not|never|won't|will not|cannot|can't) (?:\w+ ){0,3}(?:trade|bargain|barter|sign) (?:it |them )?away",
        "oppose",
        "negated",
        0.8,
    ),
    (r"(?:not for sale|not up for (?:sale|grabs))", "oppose", "verb", 0.75),
    (r"push(?:ed|es|ing)? back (?:against|on|over)", "oppose", "verb", 0.7),
    (
        r"(?:threaten\w* )?(?:retaliat\w+|countermeasures)|(?:daylight )?(?:theft|robbery)|expropriation|"
        r"confiscation",
        "oppose",
        "verb",
        0.65,
    ),
    (r"doors? (?:\w+ )?(?:remains?|remained|is|stays?|will remain) open", "oppose", "verb", 0.7),
    (r"no (?:\w+ ){0,3}(?:has|have|had|gets?|will have) a (?:veto|say)", "oppose", "verb", 0.7),
    (
        r"(?:said|says|say|answered|replied|responded) (?:a |with a )?(?:flat |firm |clear |simple )?no",
        "oppose",
        "verb",
        0.75,
    ),
    (r"(?:is |are |was |were |remains? |stays? )?off the table", "oppose", "verb", 0.8),
    (
        r"(?:as|is|was|are|were|remains?|crosses|cross) (?:a |an |its |their |our |his |her |the )?"
        r"(?:absolute |clear |firm |non-negotiable )?red lines?|(?:a|an|its|their|our|his|her) (?:absolute |clear |"
        r"firm |non-negotiable )?red line(?!s)",
        "oppose",
        "verb",
        0.75,
    ),
    (
        r"(?:cannot|can't|can not|could not|couldn't) (?:\w+ )?(?:live with|agree to|accept|sign up to)",
        "oppose",
        "negated",
        0.8,
    ),
    (r"(?:will|would) never (?:\w+ )?(?:accept|agree|sign|recogni[sz]e|allow)", "oppose", "negated", 0.85),
    (r"(?:a |an )?(?:dead end|non-?runner|no-?go|deal-?breaker)", "oppose", "verb", 0.75),
    (r"(?:reject|rebuff|rebuke|repudiate|denounce|condemn|dismiss)(?:s|ed|ing)?", "oppose", "verb", 0.85),
    (
        r"(?:refuse|refused|refuses|refusing|refusal)(?: to (?:\w+ )?(?:accept|sign|agree|endorse|support|back|"
        r"recogni[sz]e|cede|negotiate|talk|discuss))?",
        "oppose",
        "verb",
        0.8,
    ),
    (r"(?:oppose|opposes|opposed|opposing|opposition to)", "oppose", "verb", 0.8),
    (r"rul(?:e|es|ed|ing) out", "oppose", "verb", 0.8),
    (r"turn(?:s|ed)? down", "oppose", "verb", 0.8),
    (r"(?:resist|resists|resisted|resistance|resistant)", "oppose", "verb", 0.6),
    (
        r"(?:categorically |utterly |completely |totally )?(?:unacceptable|inadmissible|non-?starter)",
        "oppose",
        "verb",
        0.85,
    ),
    (r"(?:pointless|meaningless|illegitimate|null and void)", "oppose", "verb", 0.75),
    (r"lost (?:his|her|its|their) legitima\w+", "oppose", "verb", 0.8),
    (
        r"not a (?=(?:valid|legitimate) (?:\w+ )?(?:partner|leader|signatory|counterpart|president))",
        "oppose",
        "verb",
        0.75,
    ),
    (
        r"(?:will|would|could|can|does|do|did|shall)(?: not|n't) (?:\w+ )?(?:accept|agree|sign|support|endorse|allow|"
        r"cede|give up|surrender|recogni[sz]e|hand over|withdraw|pull out|hold|give|let|ease|lift|tolerate|"
        r"approve|budge|put (?:its|their|his|her) name)",
        "oppose",
        "negated",
        0.8,
    ),
    (
        r"(?:won't|cannot|can't|never|refuse to|unwilling to|not prepared to|not ready to) (?:\w+ )?"
        r"(?:accept|agree|sign|support|endorse|allow|cede|recogni[sz]e|give up|surrender)",
        "oppose",
        "negated",
        0.8,
    ),
    (
        r"(?:difficult|hard|impossible) to imagine (?:\w+ ){1,4}(?:welcoming|accepting|agreeing|supporting|endorsing)",
        "oppose",
        "negated",
        0.7,
    ),
    (r"unlikely to (?:accept|agree|welcome|support|endorse|sign)", "oppose", "negated", 0.7),
    (
        r"(?:blackmail|capitulation|a threat to|as a threat|legitimi[sz]es aggression|rewards? aggression)",
        "oppose",
        "verb",
        0.6,
    ),
    (r"is not (?:peace|a (?:solution|basis|peace)|an option|acceptable)", "oppose", "verb", 0.75),
    (r"not a single (?:meter|metre|inch|centimetre|centimeter)", "oppose", "verb", 0.8),
    (
        r"(?:never|no \w+ (?:\w+ )?(?:will|would) ever) (?:\w+ )?"
        r"(?:hand over|give up|cede|surrender|recogni[sz]e|accept)",
        "oppose",
        "negated",
        0.8,
    ),
    (r"(?:criticis|criticiz|slamm?|blast)(?:e|es|ed|ing)", "oppose", "verb", 0.6),
    (r"(?:vetoe?d|vetoes)", "oppose", "verb", 0.7),
    (r"undermin(?:e|es|ed|ing)", "oppose", "verb", 0.5),
    # -- conditional: markers ----------------------------------------------------------
    (r"only (?:if|when|after|once|on condition|with)", "conditional", "marker", 0.8),
    (r"in return(?: for)?", "conditional", "marker", 0.6),
    (r"(?:would|will) (?:need|require) (?:\S+ ){1,5}first", "conditional", "marker", 0.7),
    (
        r"(?:unless|provided that|providing that|on (?:the )?condition(?: that)?|as long as|so long as|"
        r", (?:provided|providing)(?= ))",
        "conditional",
        "marker",
        0.8,
    ),
    (r"in (?:exchange|return) for", "conditional", "marker", 0.7),
    (r"before any", "conditional", "marker", 0.8),
    (r"(?:must|should|has to|have to|needs? to) (?:first|be first)", "conditional", "marker", 0.8),
    (r"first (?:must|has to|have to|needs? to)", "conditional", "marker", 0.8),
    (r"pre-?conditions?", "conditional", "marker", 0.8),
    (r"(?:red lines?|conditions|strings attached)", "conditional", "marker", 0.6),
    (r"then we (?:will|would|can|could) (?:talk|negotiate|sign|discuss)", "conditional", "marker", 0.8),
    (
        r"(?:(?:did|does|do|has|have|would|will) )?not (?:\w+ )?(?:endorse|accept|back|support|reject)\w* "
        r"(?:\w+ ){0,3}outright",
        "conditional",
        "marker",
        0.6,
    ),
    (
        r"(?:want|wants|wanted|wanting|seek|seeks|sought|seeking|demand|demands|demanded|ask|asks|asked) "
        r"(?:for )?(?:\w+ )?(?:changes|amendments|revisions|guarantees|assurances)",
        "conditional",
        "marker",
        0.75,
    ),
    (
        r"once (?:\w+ ){0,3}(?:is|are|has been|have been|was|were) (?:lifted|signed|agreed|in place|over|established|"
        r"guaranteed|ended|secured|respected|ratified)",
        "conditional",
        "marker",
        0.7,
    ),
    (r"before (?:it|we|they|he|she|[a-z]+) (?:could|can|would|will)", "conditional", "marker", 0.7),
    (r"without (?:\w+ ){0,2}(?:guarantees|assurances|safeguards|consent|approval)", "conditional", "marker", 0.6),
    # -- conditional: verbs --------------------------------------------------------------
    (r"(?:is|are|was|were|remains?|remained) (?:still |now |also )?(?:willing|ready|prepared) to", "support", "verb",
     0.5),
    (r"(?:willing|ready|prepared) to (?:(?!only |but )[^\s,;]+ ){1,10}?if", "conditional", "verb", 0.7),
    (
        r"(?:defends?|defended|defending) (?:the |its |their )?(?:\w+ )?(?:clause|plan|provision|proposal|idea|"
        r"scheme|point|text|draft|deal|arrangement)",
        "support",
        "verb",
        0.7,
    ),
    (
        r"(?:drops?|dropped|dropping|scraps?|scrapped|removes?|removed|deletes?|deleted) (?:\S+ ){1,4}"
        r"(?:altogether|entirely|completely|outright)",
        "oppose",
        "removal",
        0.7,
    ),
    # a holder that wants something of a provision asks for more or other than it gives (GUIDELINES.md)
    (
        r"(?:wants?|wanted|wanting)(?! to join)"
        r"(?!(?: \S+){0,5} (?:as little as possible|unchanged|intact|kept|as it is))",
        "conditional",
        "verb",
        0.5,
    ),
    (r"(?:has|have|had) proposed|proposes", "conditional", "verb", 0.55),
    (r"(?:is|are|was|were) in no hurry to", "conditional", "verb", 0.6),
    (r"(?:objects?|objected|objecting) that", "conditional", "verb", 0.6),
    (r"as a compromise", "conditional", "verb", 0.7),
    (
        r"(?:want|wants|wanted|seek|seeks|sought|demand|demands|demanded|push|pushes|pushed) (?:for )?"
        r"(?:full|complete|total|all|immediate|more|broader|stronger|firmer|binding)",
        "conditional",
        "verb",
        0.7,
    ),
    (r"(?:do|does|did|would|will) not go far enough|falls? short|fell short", "conditional", "verb", 0.7),
    (
        r"(?:seek|seeks|seeking|sought|want|wants|wanted|wanting|demand|demands|demanded|demanding|insist\w* on) "
        r"(?!(?:the )?(?:elimination|removal|deletion|scrapping|abolition))(?:the )?(?:\w+ ){0,2}of "
        r"(?:all|full|complete|total)",
        "conditional",
        "verb",
        0.7,
    ),
    (
        r"(?:fears?|feared|fearing|worries|worried|wary|uneasy|sceptical|skeptical|nervous)"
        r"(?: (?:of|about|over|that))?",
        "conditional",
        "verb",
        0.55,
    ),
    (r"(?:signal\w* |show\w* )?(?:some )?flexib\w+ (?:on|over|about)", "conditional", "verb", 0.6),
    (
        r"(?:must|should|has to|have to|needs? to) (?:\w+ )?(?:abandon|renounce|give up|drop|forgo|shelve)",
        "conditional",
        "verb",
        0.6,
    ),
    (
        r"(?:would|will) (?:be )?requir\w+|(?:is|are|would be|will be) required|requires? a referendum",
        "conditional",
        "verb",
        0.6,
    ),
    (
        r"(?:wants?|wanted|hopes?|hoped|aims?|aimed|seeks?|sought|intends?|is determined) to join",
        "support",
        "verb",
        0.6,
    ),
    (r"(?:must|should) (?:\w+ )?(?:return|revert|go back) to", "conditional", "verb", 0.6),
    (r"(?:could|can) hold", "conditional", "verb", 0.55),
    (r"(?:must|should) (?:never|not) (?:\w+ )?(?:join|be admitted)", "conditional", "verb", 0.65),
    (
        r"(?:stay|stays|remain|remains|kept|keep) under (?:[a-z]+ )?control",
        "conditional",
        "verb",
        0.6,
    ),
    (
        r"(?:still )?(?:has|have|had|need|needs|needed) to be (?:worked out|finali[sz]ed|refined|clarified|agreed|"
        r"negotiated|put into|discussed|ironed out|settled)",
        "conditional",
        "verb",
        0.7,
    ),
    (r"not (?:yet )?a (?:finished|final|done) (?:agreement|deal|text|document|plan)", "conditional", "verb", 0.7),
    (r"(?:a )?list of (?:open )?questions", "conditional", "verb", 0.6),
    (
        r"(?:put|puts|putting|propose|proposes|proposed|proposing|offer|offers|offered) (?:forward )?"
        r"(?:its own |their own |his own |her own |our own )?alternatives?",
        "conditional",
        "verb",
        0.7,
    ),
    (r"starting (?:from|at) the (?:current )?(?:line of contact|front ?line|contact line)", "conditional", "verb", 0.7),
    (r"some (?:of (?:the|its) )?(?:\w+ ){0,3}(?:were|are|is) (?:\w+ )?acceptable", "conditional", "verb", 0.75),
    (r"(?:more work|further work) (?:is |was )?(?:needed|required)", "conditional", "verb", 0.7),
    (r"(?:room for|open to) (?:compromise|changes|adjustments)", "conditional", "verb", 0.6),
    (r"(?:a |the )?(?:starting position|opening bid|work in progress)\b", "conditional", "verb", 0.5),
    (
        r"(?:well |far )?(?:above|below|instead of|up from|down from|higher than|lower than) "
        r"(?:the )?(?:\d[\d,.]*|original)",
        "conditional",
        "marker",
        0.6,
    ),
    (r"(?:demand|demands|demanded|demanding|insist|insists|insisted|insisting)", "conditional", "verb", 0.75),
    (
        r"(?:call|calls|called|calling|press|presses|pressed|pressing|push|pushes|pushed|pushing|argue|argues|argued|"
        r"arguing|lobby|lobbies|lobbied|lobbying) for",
        "conditional",
        "verb",
        0.6,
    ),
    (
        r"(?:amend|amends|amended|amending|amendments?|revise|revises|revised|revising|revision|rework|reworked|"
        r"adjust|adjusts|adjusted|modify|modifies|modified|modifications?|changes to|counter-?proposals?)",
        "conditional",
        "verb",
        0.6,
    ),
    (r"(?:needs?|requires?) (?:more|further) (?:work|changes|clarification)", "conditional", "verb", 0.75),
    (
        r"(?:ready|open|willing|prepared) (?:to|for) (?:[\w\"'\u2013-]+ ){0,2}"
        r"(?:talk|talks|negotiate|negotiations?|discuss|discussions?|dialogue|consider|work on|engage|hold)",
        "conditional",
        "verb",
        0.7,
    ),
    (
        r"(?:raised?|raises|raising|voiced?|voices|expressed?|expresses) (?:\w+ )?(?:concerns?|reservations|doubts|"
        r"alarm|misgivings|unease|worries|scepticism|skepticism)",
        "conditional",
        "verb",
        0.7,
    ),
    (r"concerns? (?:over|about|regarding|with|on)", "conditional", "verb", 0.6),
    (r"(?:citing|cited|cites) (?:\w+ ){0,2}(?:issues|concerns|questions|problems)", "conditional", "verb", 0.7),
    (r"(?:citing|cited|cites)", "conditional", "verb", 0.55),
    (r"lacks? (?:\w+ )?guarantees?", "conditional", "verb", 0.6),
    (r"(?:veto over|say over|a veto)", "conditional", "verb", 0.6),
    (
        r"(?:study|studies|studied|studying|review|reviewing|examine|examining|analy[sz]ing) (?:it|the (?:\w+ )?"
        r"(?:plan|proposal|draft|text|document))",
        "conditional",
        "verb",
        0.5,
    ),
    (
        r"(?:must|should|has to|have to) (?:recogni[sz]e|withdraw|pull out|include|guarantee|be given|accept)|"
        r"(?:must|should|has to|have to) (?:pull|withdraw|take) (?:\w+ ){0,3}(?:out|back)",
        "conditional",
        "verb",
        0.6,
    ),
    (
        r"(?:seeks?|sought|wants?) (?:full |formal |legal |international )?(?:recognition|guarantees?|changes)",
        "conditional",
        "verb",
        0.6,
    ),
    # -- support ---------------------------------------------------------------------------
    (
        r"(?:support|supports|supported|supporting|endorse|endorses|endorsed|endorsing|welcome|welcomes|welcomed|"
        r"welcoming|approve|approves|approved|embrace|embraces|embraced|praise|praises|praised|hail|hails|hailed)",
        "support",
        "verb",
        0.7,
    ),
    (r"(?:accept|accepts|accepted|accepting|agree to|agrees to|agreed to|agreed with)", "support", "verb", 0.6),
    (
        r"(?:could|can|may|might|would) (?:\w+ ){0,2}(?:be|serve as|become|form|provide|lay) (?:\w+ ){0,2}"
        r"(?:basis|foundation|starting point|framework)",
        "support",
        "verb",
        0.8,
    ),
    (
        r"(?:a |the )?(?:good|sound|solid|potential|possible|useful|workable|reasonable|genuine|real|serious|fair) "
        r"(?:basis|foundation|starting point)|(?:remains?|remained|is still|was still) (?:the|a) (?:\w+ )?"
        r"(?:basis|foundation|starting point)",
        "support",
        "verb",
        0.7,
    ),
    (r"lay the foundations?", "support", "verb", 0.8),
    (r"(?:no problem|let's do it|let us do it|we agree|we accept|we support)", "support", "verb", 0.7),
    (r"(?:centerpiece|centrepiece|top priority|cornerstone)", "support", "verb", 0.6),
    (r"(?:committed to|in favou?r of|backs|backed|backing)", "support", "verb", 0.6),
    (r"(?:offered|offers|offer|promised|promises|pledged|pledges)", "support", "verb", 0.55),
    (
        r"(?:constructive|positive|encouraging) (?:step|steps|basis|proposal|plan|comments|signal|response)",
        "support",
        "verb",
        0.5,
    ),
    (
        r"(?:urge|urges|urged|urging|press|presses|pressed|pressing|pressure|pressured|pressuring|push|pushed|pushing) "
        r"(?:\w+ ){1,4}to (?:accept|sign|agree)",
        "support",
        "verb",
        0.75,
    ),
    (r"deadline (?:\w+ ){0,8}to (?:accept|sign|agree|respond)", "support", "verb", 0.75),
    (r"(?:ready|willing|prepared) to sign", "support", "verb", 0.7),
    (r"(?:would|will|should) have to accept", "support", "verb", 0.7),
    (
        r"(?:would|will|should|must) (?:\w+ )?have to (?:give up|cede|hand over|withdraw from|leave|pull out of)",
        "support",
        "threat",
        0.7,
    ),
    (r"threaten(?:s|ed|ing)? to (?:seize|take|capture|grab|occupy|conquer)", "support", "threat", 0.75),
    (
        r"(?:will|would|shall|could|is ready to|are ready to) (?:\w+ )?(?:take|seize|capture|liberate|occupy|win) "
        r"(?:\w+ ){0,4}(?:by force|by military means|on the battlefield|militarily)",
        "support",
        "threat",
        0.8,
    ),
    (
        r"as the (?:\w+ )?(?:draft|plan|text|proposal|document|framework)(?: itself)? (?:foresees|provides|envisages|"
        r"stipulates|says|requires|proposes|sets out|demands)",
        "support",
        "agree",
        0.8,
    ),
    (
        # the verb alone is the cue (a lookahead for the rest), so that the clause it keeps names the issue
        r"(?:left|leave|leaves|leaving|kept|keep|keeps|keeping|retain|retains|retained|survives?|survived|remains?)"
        r"(?= (?:[\w'-]+ ){0,4}(?:untouched|unchanged|intact|word for word|verbatim|exactly as|as it stood|"
        r"as it stands))",
        "support",
        "verb",
        0.75,
    ),
    (
        r"(?:ready|prepared|willing|offered|offers|offer) to (?:declare|state|put (?:it |that )?in writing|pledge|"
        r"commit|enshrine|write (?:it |that )?(?:down|into law)|formali[sz]e)",
        "support",
        "threat",
        0.7,
    ),
    (
        r"(?:changed|moved|altered|amended|touched|departing) as little as possible|(?:no|minimal|only minor) "
        r"(?:changes|departures?|deviations?) (?:to|from)",
        "support",
        "verb",
        0.7,
    ),
    (
        r"(?:not|no) (?:planning|plans?|intention|intend\w*|seeking|want\w*)(?= (?:to |of )?(?:a war|war|attack|"
        r"attacking|invading|invade))",
        "support",
        "verb",
        0.7,
    ),
    (
        r"(?:must|should|will|would|to) (?:fully |firmly |also )?"
        r"(?:uphold|respect|preserve|safeguard|protect|reaffirm)|reaffirm(?:s|ed|ing)?",
        "support",
        "verb",
        0.6,
    ),
    (r"(?:will|would|shall) be (?:driven|pushed|forced|thrown|kicked) out", "support", "threat", 0.75),
    (r"(?:stands?|stood) to lose (?:\w+ ){0,3}(?:more|the rest|everything)", "support", "threat", 0.7),
    (r"(?:is|are|was|would be) good for (?:\w+ )?(?:\w+ and|both|everyone|all)", "support", "verb", 0.6),
    (r"(?:faithful|accurate) (?:expression|reflection)", "support", "verb", 0.6),
    # -- general English evaluative verbs and adjectives (fallback, lower weight) ------------
    (
        r"(?:spurn|denounc|decr|deplor|lambast|assail|repudiat|disavow|torpedo|stonewall|snubb?)"
        r"(?:e|es|ed|s|ing|ied|ies|y)",
        "oppose",
        "verb",
        0.5,
    ),
    (
        r"(?:scoff|bristl|bridl|balk|baulk|chaf|recoil|objec|protest|frown|rail|push back|pushed back)"
        r"(?:e|es|ed|s|ing|ted|ts|t)? (?:at|to|on|against)",
        "oppose",
        "verb",
        0.5,
    ),
    (
        r"(?:block|blocks|blocked|blocking|shot down|shoots? down|shooting down|"
        r"brush(?:ed|es)? aside|wav(?:e|ed|es) away|dismiss(?:ed|es)? out of hand)",
        "oppose",
        "verb",
        0.45,
    ),
    (
        r"(?:took|takes|take|taking) issue with|warn(?:s|ed|ing)? against|campaign(?:s|ed|ing)? against|"
        r"dug in against|digs? in against|(?:is|are|was|were|remains?) (?:deeply |openly |firmly )?"
        r"(?:hostile|cool|cold|averse|allergic)(?= (?:to|towards) )",
        "oppose",
        "verb",
        0.5,
    ),
    (r"(?:unpalatable|anathema|dead on arrival|a poison pill)(?= (?:to|for) )", "oppose", "verb", 0.5),
    (
        r"(?:applaud|cheer|laud|commend|champion|favou?r|embrac|greenlight|green-light)"
        r"(?:e|es|ed|s|ing)?(?= (?:the|a|an|its|their|this|that|his|her|any|[A-Z]))",
        "support",
        "verb",
        0.5,
    ),
    (
        r"(?:signed|signs|sign) off on|(?:warm(?:ed|s)?|warming) to|"
        r"(?:is|are|was|were|remains?|seemed|appeared) (?:\w+ )?(?:open|receptive|amenable|sympathetic) to|"
        r"signal(?:l?ed|s)? (?:\w+ )?(?:openness|readiness|willingness) to",
        "support",
        "verb",
        0.45,
    ),
    (r"(?:a win|a victory|a gift|a boon)(?= for )", "support", "verb", 0.45),
    (r"(?:uphold|upholds|upheld|upholding|safeguard|safeguards|safeguarded|safeguarding)", "support", "verb", 0.45),
    # attitudes: "keen on", "unhappy with", "reluctant to", "against", "holding out for"
    (
        r"(?:keen|eager|happy|comfortable|satisfied|content|enthusiastic|pleased|delighted) (?:on|for|with|about)",
        "support",
        "verb",
        0.45,
    ),
    (
        r"(?:unhappy|dissatisfied|displeased|furious|angry|incensed|outraged) (?:with|about|at|over)|"
        r"(?:reluctant|loath|loth|disinclined) to|"
        r"(?:is|are|was|were|remains?|stands?|stood) (?:firmly |squarely )?against|"
        r"push(?:ed|es|ing)? back (?:\w+ )?(?:against|on)|(?:cool|cold) on",
        "oppose",
        "verb",
        0.45,
    ),
    (r"(?:hold|holds|held|holding) out for", "conditional", "verb", 0.5),
    # an evaluation "as" something: "described the ceiling as dangerous", "regards the plan as a betrayal"
    (
        r"(?<= as )(?:an? )?(?:betrayal|trick|trap|ploy|sham|farce|provocation|disaster|mistake|dangerous|reckless|"
        r"absurd|surrender|capitulation|humiliation|unrealistic|unworkable)",
        "oppose",
        "verb",
        0.45,
    ),
    (
        r"(?<= as )(?:an? )?(?:breakthrough|step forward|good deal|fair|reasonable|realistic|workable|sensible|"
        r"positive|promising|good)(?! (?:basis|start))",
        "support",
        "verb",
        0.45,
    ),
    # idioms and reception nouns: "threw its weight behind", "poured cold water on", "drew criticism from"
    (
        r"(?:threw|throws|throw|throwing) (?:its|their|his|her|our) (?:full )?weight behind|"
        r"(?:its|their|his|her) blessing|"
        r"(?:said|says|say|saying) yes to|(?:won|wins|win|winning|drew|draws|earned|earns) (?:\w+ )?"
        r"(?:praise|backing|approval|applause|support|endorsement)",
        "support",
        "verb",
        0.5,
    ),
    (
        r"(?:poured|pours|pour|pouring) cold water on|(?:a )?(?:cold|frosty|hostile|icy) reception|"
        r"off[ -]limits|(?:drew|draws|draw|drawing|met with|meets with|faced|faces) (?:\w+ )?"
        r"(?:criticism|fire|condemnation|objections|protests?|resistance|opposition|scorn|derision)|"
        r"(?:little|scant|scarce|no|limited) (?:support|backing|enthusiasm|appetite)",
        "oppose",
        "verb",
        0.5,
    ),
    # giving way: "could live with", "went along with", "dropped its objection to"
    (
        r"(?:could|would) live with|(?:signed|signs|sign|signing) on to|"
        r"(?:went|goes|go|going) along with|(?:came|comes|come|coming) (?:a)?round to|"
        r"(?:gave|gives|give|giving) ground on|(?:conceded|concedes|caved|caves) on|"
        r"(?:dropped|drops|drop|dropping|withdrew|withdraws|lifted|lifts) (?:its|their|his|her) "
        r"(?:objections?|opposition|resistance|veto) to|"
        r"(?:voiced?|voices|expressed?|expresses|signall?ed|signals) (?:\w+ )?(?:approval|backing|endorsement)",
        "support",
        "verb",
        0.55,
    ),
    (
        r"(?:question|challeng|contest|disput)(?:ed|ing)|(?:ridicul|mock|derid)(?:e|es|ed|ing|s)?|"
        r"(?:drawn|drew|draws?|drawing) the line at",
        "oppose",
        "verb",
        0.45,
    ),
    (
        r"(?:has|have|had) (?:\w+ )?(?:doubts|reservations|misgivings|qualms) (?:about|over|on)",
        "conditional",
        "verb",
        0.55,
    ),
    # the author's assessment for a holder named after "for"/"in": "a bitter pill for Kyiv", "For Moscow, ... a trap"
    (
        r"(?:is|are|was|were|remains?|would be|will be|seems?) (?:\w+ )?(?:a |an )?(?:trap|red line|bitter pill|"
        r"deal-?breaker|sticking point|step too far|out of the question|hard to swallow|hard sell|tough sell)",
        "oppose",
        "verb",
        0.5,
    ),
    (
        r"(?:is|are|was|were|remains?|would be|will be|seems?) (?:\w+ )?(?:a |an |the )?(?:must|priority|essential|"
        r"indispensable|vital|non-negotiable)(?![\w-])",
        "support",
        "verb",
        0.45,
    ),
    (
        r"(?:greeted|received|met|viewed|regarded|treated) with (?:\w+ )?(?:suspicion|scepticism|skepticism|hostility|"
        r"derision|scorn|dismay|alarm)",
        "oppose",
        "verb",
        0.45,
    ),
    # consequences a holder foresees: "would leave the country defenceless", "would save lives"
    (
        r"(?:would|will|could) (?:only |simply |merely )?(?:leave (?:\w+ ){1,2}(?:defen[cs]eless|vulnerable|exposed)|"
        r"reward|invite|embolden|endanger|weaken|destabili[sz]e|legitimi[sz]e|let (?:\w+ )?rearm|"
        r"give (?:\w+ )?time to rearm)",
        "oppose",
        "verb",
        0.45,
    ),
    (
        r"(?:would|will|could) (?:\w+ )?(?:save lives|bring peace|deter|protect|strengthen|stabili[sz]e)|"
        r"the right (?:thing to do|step|approach|move)|(?:hopes?|hoped|hoping) for|(?:counts?|counted|counting) on|"
        r"(?:betting|bets|bet) on|(?:pinn?(?:ing|ed|s)?) (?:its|their|his|her) hopes on",
        "support",
        "verb",
        0.45,
    ),
    # a refusal to close the door is not a refusal: "refused to rule out elections"
    (r"(?:refus|declin)(?:e|es|ed|ing) to (?:rule out|exclude|reject)", "conditional", "verb", 0.8),
    (
        r"(?:urge|urges|urged|urging|hing(?:e|es|ed|ing) on|depend(?:s|ed|ing)? on|"
        r"condition(?:s|ed|al)? on|tie[sd]? (?:\w+ ){0,3}to)",
        "conditional",
        "verb",
        0.45,
    ),
)

# Words a negation flips: "not" within two words before a support verb → oppose.
NEGATORS = ("not", "n't", "never", "no", "nor", "without", "hardly")

# Speech and attribution verbs: their subject is the sentence's speaker, basis "stated".
SPEECH_VERBS = (
    r"said",
    r"says",
    r"say",
    r"told",
    r"tells",
    r"stated",
    r"states",
    r"added",
    r"adds",
    r"argued",
    r"argues",
    r"insisted",
    r"(?:is|was|are|were|remains?) adamant",
    r"insists",
    r"emphasi[sz]ed",
    r"emphasi[sz]es",
    r"stressed",
    r"stresses",
    r"declared",
    r"declares",
    r"announced",
    r"announces",
    r"warned",
    r"warns",
    r"noted",
    r"notes",
    r"claimed",
    r"claims",
    r"called",
    r"calls",
    r"indicated",
    r"indicates",
    r"signal(?:l)?ed",
    r"signals",
    r"suggested",
    r"suggests",
    r"wrote",
    r"writes",
    r"tweeted",
    r"posted",
    r"replied",
    r"answered",
    r"responded",
    r"explained",
    r"reiterated",
    r"reiterates",
    r"acknowledged",
    r"admitted",
    r"confirmed",
    r"confirms",
    r"maintains?",
    r"maintained",
    r"asserted",
    r"asserts",
    r"threatened",
    r"threatens",
    r"vowed",
    r"vows",
    r"pledged",
    r"urged",
    r"urges",
    r"demanded",
    r"demands",
    r"rejected",
    r"rejects",
    r"speaking",
    r"remarked",
    r"commented",
    r"quipped",
    r"recalled",
    r"repeated",
    r"repeats",
    r"publicly stated",
    r"saying",
    r"adding",
    r"insisting",
    r"arguing",
    r"noting",
    r"warning",
    r"declined to (?:comment|answer)",
)

# Possessive nouns that make the possessor a holder: "Putin's refusal", "Moscow's position".
STANCE_NOUNS = (
    "position",
    "positions",
    "stance",
    "view",
    "views",
    "refusal",
    "rejection",
    "resistance",
    "reluctance",
    "response",
    "answer",
    "reply",
    "conditions",
    "statement",
    "statements",
    "remarks",
    "comments",
    "perspective",
    "objections",
    "objection",
    "insistence",
    "demand",
    "proposal",
    "counter-proposal",
    "counterproposal",
    "red lines",
    "red line",
    "approval",
    "backing",
    "support",
    "opposition",
)

# Nouns that name the plan as a whole (the issue ``plan``).
PLAN_NOUNS = (
    r"(?:peace )?plans?",
    r"(?:peace )?accords?",
    r"(?:peace )?proposals?",
    r"(?:peace )?drafts?",
    r"blueprint",
    r"(?:peace )?framework",
    r"(?:peace )?initiative",
    r"road ?map",
    r"peace deal",
    r"peace agreement",
    r"(?:the|this|that) document",
    r"(?:its|the|these|those|such|the plan's|the reported|the proposed) (?:core |key |main |basic |final )?terms",
    r"(?:the )?(?:original |first |initial |remaining )?\d+ points",
    r"peace (?:effort|process|push|bid|track)s?",
    r"(?<!in )(?:the|this) (?:negotiating |diplomatic )?process(?! of)",
    r"\d+-point \w+",
    r"(?:peace )?package",
    r"(?:the|this|that|any|a) (?:peace )?deal",
)

# Words that say the plan belongs to someone: "proposed by Washington", "US-backed".
OWNER_VERBS = (
    r"proposed",
    r"drafted",
    r"put forward",
    r"circulated",
    r"unveiled",
    r"presented",
    r"authored",
    r"written",
    r"backed",
    r"brokered",
    r"crafted",
    r"offered",
    r"tabled",
    r"pushed",
    r"promoted",
    r"championed",
    r"sponsored",
    r"initiated",
    r"devised",
    r"prepared",
)

# "Russian position", "the Ukrainian side": a demonym before one of these names the actor itself.
HOLDER_HEADS = (
    "position",
    "stance",
    "side",
    "response",
    "leader",
    "president",
    "officials",
    "diplomats",
    "negotiators",
    "delegation",
    "government",
    "authorities",
    "spokesman",
    "spokeswoman",
    "foreign minister",
    "envoy",
    "negotiator",
    "administration",
    "camp",
    "team",
    "leaders",
    "demands",
    "proposal",
    "counter-proposal",
    "official",
    "diplomat",
    "spokesperson",
    "minister",
    "ministry",
    "foreign ministry",
    "aide",
    "lawmakers",
    "defence official",
    "defense official",
    "security official",
    "energy official",
    "justice official",
    "military official",
    "government official",
    "foreign ministry spokesperson",
    "foreign ministry spokesman",
)

# Words that put the rest of a clause in the hypothetical: no stance is claimed there.
HYPOTHETICAL = (
    r"(?<!only )\bif\b",
    r"\bwhether\b",
    r"\beven if\b",
    r"\bwhat if\b",
)
UNCLEAR = (
    r"(?:remains?|is|it's|it is|still) (?:unclear|unknown|uncertain|not clear|an open question)",
    r"no one knows",
    r"nobody knows",
    r"it is not known",
)

# Hedges and modals: a holder's stance stated with them is the author's assessment.
ASSESSED = (
    r"\bwill\b",
    r"\bwould\b",
    r"\blikely\b",
    r"\bunlikely\b",
    r"\bprobably\b",
    r"\bcertainly\b",
    r"\bexpected to\b",
    r"\bdifficult to imagine\b",
    r"\bhard to imagine\b",
    r"\bseems?\b",
    r"\bappears?\b",
    r"\bin (?:his|her|its|their) view\b",
    r"\bfor (?!(?:its|his|her|their|our|my) part\b|now\b)(?:\w+ ){0,2}\w+, \b",
    r"\bto \w+,",
    r"\bexpects?\b",
    r"\bthinks?\b",
    r"\bpredicts?\b",
    r"\banalysts?\b",
    r"\bresearchers?\b",
    r"\bobservers?\b",
    r"\bwatchers?\b",
)

# Clause openers whose subject is not the sentence's holder.
SUBORDINATORS = (
    "despite",
    "although",
    "though",
    "while",
    "whereas",
    "because",
    "since",
    "as",
    "when",
    "after",
    "before",
    "even",
    "yet",
    "unlike",
)

# Anaphors: a sentence with one of these and no issue of its own refers back.
ANAPHORS = (
    r"\bit\b",
    r"\bits\b",
    r"\bthis\b",
    r"\bthat\b",
    r"\bthese\b",
    r"\bthose\b",
    r"\bsuch\b",
    r"\bthe idea\b",
    r"\bthe clause\b",
    r"\bthe provision\b",
    r"\bthe arrangement\b",
    r"\bthem\b",
)

PRONOUNS = ("he", "she", "they", "his", "her", "their")
