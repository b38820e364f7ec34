#!/usr/bin/env python3
"""Regenerates the malformed-scenario corpus from tests/data/minimal.json.
Each case breaks exactly one rule; expected.txt (reviewed by hand, not
generated) holds the exact first diagnostic the loader must print for it.
Run from the repository root: python3 tests/malformed/make_corpus.py"""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = json.load(open(os.path.join(HERE, '..', 'data', 'minimal.json')))


def actor(s, i):
    return s['actors'][i]


def write_json(name, s):
    with open(os.path.join(HERE, name), 'w') as f:
        json.dump(s, f, indent=2)
        f.write('\n')


def write_raw(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


def case(name, mutate):
    s = copy.deepcopy(BASE)
    mutate(s)
    write_json(name, s)


raw_min = json.dumps(BASE, indent=2)

write_raw('01-empty.json', b'')
write_raw('02-binary-garbage.json', bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe, 0x00]))
write_raw('03-trailing-comma.json', b'{\n  "meta": {"name": "x",},\n  "actors": []\n}\n')
write_raw('04-duplicate-key.json', b'{\n  "meta": {"name": "a", "name": "b"}\n}\n')
write_raw('05-nan.json', b'{\n  "meta": {"name": "x"},\n  "actors": [{"id": "US", "capability": NaN}]\n}\n')
write_raw('06-huge-number.json', b'{\n  "actors": [{"id": "US", "capability": 1e999}]\n}\n')
write_raw('07-top-level-array.json', b'[1, 2, 3]\n')
write_raw('08-deep-nesting.json', b'{"meta": ' + b'[' * 100 + b']' * 100 + b'}\n')
case('09-unknown-top-level.json', lambda s: s.__setitem__('polcy', s.pop('policy')))
case('10-missing-meta.json', lambda s: s.pop('meta'))
case('11-missing-actors.json', lambda s: s.pop('actors'))
case('12-actors-not-array.json', lambda s: s.__setitem__('actors', {"US": {}}))
case('13-actor-missing-id.json', lambda s: actor(s, 3).pop('id'))
case('14-invalid-id.json', lambda s: actor(s, 3).__setitem__('id', 'P R C'))
case('15-duplicate-actor-id.json', lambda s: actor(s, 3).__setitem__('id', 'US'))
case('16-unknown-field-typo.json', lambda s: actor(s, 0).__setitem__('capabilty', actor(s, 0).pop('capability')))
case('17-capability-negative.json', lambda s: actor(s, 3).__setitem__('capability', -5))
case('18-risk-out-of-range.json', lambda s: actor(s, 0).__setitem__('risk', 1.5))
case('19-kind-typo.json', lambda s: actor(s, 0).__setitem__('kind', 'principle'))
case('20-faction-without-parent.json', lambda s: actor(s, 1).pop('parent'))
case('21-parent-not-principal.json', lambda s: actor(s, 1).__setitem__('parent', 'PRC'))
case('22-parent-on-principal.json', lambda s: actor(s, 0).__setitem__('parent', 'DPRK'))
case('23-leans-on-faction.json', lambda s: actor(s, 1).__setitem__('leans_toward', 'DPRK'))
case('24-capability-string.json', lambda s: actor(s, 0).__setitem__('capability', '60'))
case('25-at-table-not-bool.json', lambda s: actor(s, 0).__setitem__('at_table', 'yes'))
case('26-veto-bad-value.json', lambda s: actor(s, 1).__setitem__('veto', ['implementation', 'ratifcation']))
case('27-issue-missing-label.json', lambda s: s['issues'][0].pop('label_0'))
case('28-status-quo-out-of-range.json', lambda s: s['issues'][1].__setitem__('status_quo', 150))
case('29-rung-not-cbm.json', lambda s: s['issues'][0].__setitem__('rung', 2))
case('30-issue-kind-typo.json', lambda s: s['issues'][0].__setitem__('kind', 'peace-regime'))
case('31-detection-out-of-range.json', lambda s: s['issues'][1]['verification'].__setitem__('detection', 2))
case('32-stance-unknown-actor.json', lambda s: s['stances'][2].__setitem__('actor', 'DPRKK'))
case('33-stance-unknown-issue.json', lambda s: s['stances'][0].__setitem__('issue', 'peace'))
case('34-duplicate-stance.json', lambda s: s['stances'].append(dict(s['stances'][1])))
case('35-salience-out-of-range.json', lambda s: s['stances'][3].__setitem__('salience', 30))
case('36-trust-self.json', lambda s: s['trust'][0].__setitem__('to', 'US'))
case('37-trust-mixed-forms.json', lambda s: s['trust'][0].__setitem__('mean', 0.5))
case('38-trust-unknown-actor.json', lambda s: s['trust'][1].__setitem__('from', 'ROK'))
case('39-bad-month.json', lambda s: s['meta'].__setitem__('start', '1996-13'))
case('40-horizon-before-start.json', lambda s: s['meta'].__setitem__('horizon', '1995-01'))
case('41-event-date-and-hazard.json', lambda s: s['events'][0].__setitem__('hazard', {"rate": 0.1}))
case('42-effect-sets-participation.json', lambda s: s['events'][0]['effects'].__setitem__(0, {"path": "actors.DPRK.participation", "set": 1}))
case('43-event-outcome-field.json', lambda s: s['events'][1].__setitem__('outcome', 'collapse'))
case('44-effect-not-primitive.json', lambda s: s['events'][0]['effects'].__setitem__(0, {"path": "actors.DPRK.discount", "set": 0.5}))
def cycle(s):
    s['events'][0]['condition'] = {"after": "launch"}
case('45-event-after-cycle.json', cycle)
case('46-event-after-unknown.json', lambda s: s['events'][1]['condition'].__setitem__('after', 'famin'))
case('47-event-date-outside.json', lambda s: s['events'][0].__setitem__('date', '2005-01'))
case('48-forum-unknown-member.json', lambda s: s['forums'][0]['members'].__setitem__(2, 'China'))
case('49-forum-one-member.json', lambda s: s['forums'][0].__setitem__('members', ['US']))
case('50-agreement-after-start.json', lambda s: s['agreements'][0].__setitem__('in_force', '1997-01'))
case('51-obligation-non-party.json', lambda s: s['agreements'][0]['obligations'][0].__setitem__('actor', 'PRC'))
case('52-linkage-invalid.json', lambda s: s['policy'].__setitem__('linkage', 'link'))
case('53-override-unknown-lever.json', lambda s: s['policy']['overrides'][0].__setitem__('lever', 'expectation'))
case('54-value-outside-range.json', lambda s: actor(s, 2)['capability'].__setitem__('value', 50))
case('55-beta-missing-b.json', lambda s: actor(s, 2)['type_prior'].pop('b'))
case('56-range-outside-field.json', lambda s: actor(s, 2)['capability'].__setitem__('range', [-5, 40]))
case('57-too-many-rounds.json', lambda s: s['meta'].__setitem__('horizon', '2200-01'))
def many_actors(s):
    s['actors'] += [{"id": "A%d" % i, "kind": "observer"} for i in range(1000)]
case('58-too-many-actors.json', many_actors)
case('59-number-object-typo.json', lambda s: actor(s, 2)['capability'].__setitem__('rnage', actor(s, 2)['capability'].pop('range')))
case('60-effect-two-ops.json', lambda s: s['events'][0]['effects'][0].__setitem__('add', 0.1))
case('61-round-months-fraction.json', lambda s: s['meta'].__setitem__('round_months', 1.5))
case('62-name-not-string.json', lambda s: s['meta'].__setitem__('name', 5))
case('63-parent-unknown.json', lambda s: actor(s, 1).__setitem__('parent', 'USA'))
case('64-fixed-chair-without-order.json', lambda s: s['forums'][0].__setitem__('chair', {"rotation": "fixed"}))
case('65-effect-missing-stance.json', lambda s: s['events'][0]['effects'].__setitem__(0, {"path": "stances.PRC.hotline.position", "set": 50}))
case('66-unknown-event-field.json', lambda s: s['events'][0].__setitem__('narative', 'typo'))
case('67-hazard-window-reversed.json', lambda s: s['events'][1]['hazard'].update({"from": "1999-01", "to": "1998-01"}))
case('68-duplicate-override.json', lambda s: s['policy']['overrides'].append({"actor": "DPRK", "lever": "expectations", "value": 0.3}))
case('69-day-not-in-month.json', lambda s: s['agreements'][0].__setitem__('in_force', '1994-02-30'))
case('70-condition-path-unknown.json', lambda s: s['events'][1].__setitem__('condition', {"path": "actors.DPRK.nede", "above": 0.5}))
case('71-unknown-strategy.json', lambda s: actor(s, 2).__setitem__('compliance_strategy', 'TitForTwoTats'))
case('72-strategy-probability.json', lambda s: actor(s, 0).__setitem__('compliance_strategy', 'GTFT:1.5'))

# The games section (docs/FORMAT.md, "games"): one broken rule per file.
TFT_MACHINE = [[1, "C", 1, "C"], [1, "D", 1, "D"]]
def games(g):
    return lambda s: s.__setitem__('games', g)
def strategies(d):
    return games({"strategies": d})
case('73-games-not-object.json', games([]))
case('74-games-unknown-field.json', games({"stage_gam": {}}))
case('75-stage-game-two-forms.json', games({"stage_game": {"preset": "pd", "R": 3}}))
case('76-stage-game-preset-typo.json', games({"stage_game": {"preset": "stag_hunt"}}))
case('77-stage-game-missing-p.json', games({"stage_game": {"R": 3, "S": 0, "T": 5}}))
case('78-stage-game-payoff-not-pair.json', games({"stage_game": {"payoffs": {"CC": [3, 3], "CD": [0], "DC": [5, 0], "DD": [1, 1]}}}))
case('79-strategy-builtin-name.json', strategies({"TFT": {"spec": "Cooperator"}}))
case('80-strategy-bad-name.json', strategies({"Wary one": {"spec": "Cooperator"}}))
case('81-strategy-case-clash.json', strategies({"Wary": {"spec": "TFT"}, "WARY": {"spec": "TFT"}}))
case('82-strategy-no-form.json', strategies({"Wary": {"description": "nothing else"}}))
case('83-strategy-two-forms.json', strategies({"Wary": {"spec": "TFT", "memory_one": {"CC": 1, "CD": 0, "DC": 1, "DD": 0}}}))
case('84-strategy-spec-probability.json', strategies({"Wary": {"spec": "GTFT:1.5"}}))
case('85-strategy-key-wrong-form.json', strategies({"Wary": {"spec": "TFT", "first": 1}}))
case('86-memory-one-probability.json', strategies({"Wary": {"memory_one": {"CC": 1, "CD": 1.2, "DC": 1, "DD": 0}}}))
case('87-memory-one-missing.json', strategies({"Wary": {"memory_one": {"CC": 1, "CD": 0, "DC": 1}}}))
case('88-first-not-action.json', strategies({"Wary": {"memory_one": {"CC": 1, "CD": 0, "DC": 1, "DD": 0}, "first": "X"}}))
case('89-states-empty.json', strategies({"Wary": {"states": {}}}))
case('90-state-probability.json', strategies({"Wary": {"states": {"calm": {"cooperate": -0.1, "next": {"C": "calm", "D": "calm"}}}}}))
case('91-state-unknown-next.json', strategies({"Wary": {"states": {"calm": {"cooperate": 1, "next": {"C": "calm", "D": "angyr"}}, "angry": {"cooperate": 0, "next": {"C": "calm", "D": "angry"}}}}}))
case('92-state-next-mixed.json', strategies({"Wary": {"states": {"calm": {"cooperate": 1, "next": {"C": "calm", "DD": "calm"}}}}}))
case('93-state-missing-next.json', strategies({"Wary": {"states": {"calm": {"cooperate": 1}}}}))
case('94-start-unknown.json', strategies({"Wary": {"states": {"calm": {"cooperate": 1, "next": {"C": "calm", "D": "calm"}}}, "start": "clam"}}))
case('95-machine-unknown-state.json', strategies({"Wary": {"transitions": [[1, "C", 1, "C"], [1, "D", 2, "D"]], "initial_state": 1, "initial_action": "C"}}))
case('96-machine-missing-transition.json', strategies({"Wary": {"transitions": [[1, "C", 1, "C"]], "initial_state": 1, "initial_action": "C"}}))
case('97-machine-duplicate-transition.json', strategies({"Wary": {"transitions": TFT_MACHINE + [[1, "D", 1, "C"]], "initial_state": 1, "initial_action": "C"}}))
case('98-machine-bad-action.json', strategies({"Wary": {"transitions": [[1, "C", 1, "C"], [1, "d", 1, "D"]], "initial_state": 1, "initial_action": "C"}}))
case('99-machine-mixed-labels.json', strategies({"Wary": {"transitions": [[1, "C", 1, "C"], ["1", "D", 1, "D"]], "initial_state": 1, "initial_action": "C"}}))
case('100-machine-bad-row.json', strategies({"Wary": {"transitions": [[1, "C", 1], [1, "D", 1, "D"]], "initial_state": 1, "initial_action": "C"}}))
case('101-machine-initial-unknown.json', strategies({"Wary": {"transitions": TFT_MACHINE, "initial_state": 3, "initial_action": "C"}}))
case('102-machine-missing-initial-action.json', strategies({"Wary": {"transitions": TFT_MACHINE, "initial_state": 1}}))
def compliance_typo(s):
    s['games'] = {"strategies": {"Wary": {"transitions": TFT_MACHINE, "initial_state": 1, "initial_action": "C"}}}
    actor(s, 2)['compliance_strategy'] = 'Wray'
case('103-compliance-unknown-defined.json', compliance_typo)
def compliance_needs_pd(s):
    s['games'] = {"stage_game": {"preset": "stag-hunt"}}
    actor(s, 2)['compliance_strategy'] = 'GTFT'
case('104-compliance-needs-pd.json', compliance_needs_pd)
case('105-too-many-strategies.json', strategies({"S%d" % i: {"spec": "TFT"} for i in range(1001)}))
case('106-too-many-states.json', strategies({"Wary": {"states": {"s%d" % i: {"cooperate": 1, "next": {"C": "s0", "D": "s0"}} for i in range(1001)}}}))
case('107-forum-mandate-unknown-issue.json', lambda s: s['forums'][0].__setitem__('issues', ['peace_regime', 'hotlin']))
case('108-forum-mandate-empty.json', lambda s: s['forums'][0].__setitem__('issues', []))
case('109-forum-mandate-repeat.json', lambda s: s['forums'][0].__setitem__('issues', ['hotline', 'hotline']))
case('110-contact-with-unknown.json', lambda s: actor(s, 2).__setitem__('contact_with', ['USA']))
case('111-contact-with-self.json', lambda s: actor(s, 2).__setitem__('contact_with', ['US', 'DPRK']))
case('112-reversible-out-of-range.json', lambda s: s['issues'][1].__setitem__('reversible', 1.5))
case('113-reversible-not-number.json', lambda s: s['issues'][1].__setitem__('reversible', 'yes'))
