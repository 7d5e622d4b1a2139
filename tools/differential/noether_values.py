"""
Values of schedgpu specs computed by the real noether code, for the differential test
(test/differential-noether.test.ts). Not part of the package; needs noether's schedules on
PYTHONPATH (and pydantic). Usage: python3 noether_values.py cases.json out.json

Each case is {spec, steps}; the output per case is {construct_error} (noether refuses the config),
{values, error} (values at t = 0..steps-1, stopping at the first step noether raises at) or {skip}.
Specs are built the way noether's factory builds them: the class's pydantic config validated from
the spec's fields, the sequential schedules from their dataclass entries.
"""
import json
import math
import sys

import noether.core.schedules as S
from noether.core.schemas import schedules as C

def build(spec, top=False):
    kind = spec['kind'].split('.')[-1]
    drop = ('kind', 'interval', 'updates_per_epoch', 'id') if top else ('kind',)
    rest = {k: v for k, v in spec.items() if k not in drop}
    if kind == 'SequentialPercentSchedule':
        cfgs = [S.SequentialPercentScheduleConfig(**{**c, 'schedule': build(c['schedule'])}) for c in rest.pop('schedule_configs')]
        return S.SequentialPercentSchedule(schedule_configs=cfgs, **rest)
    if kind == 'SequentialStepSchedule':
        cfgs = [S.SequentialStepScheduleConfig(**{**c, 'schedule': build(c['schedule'])}) for c in rest.pop('schedule_configs')]
        return S.SequentialStepSchedule(schedule_configs=cfgs, **rest)
    cfg = getattr(C, kind + 'Config').model_validate(rest)
    return getattr(S, kind)(cfg)

cases = json.load(open(sys.argv[1]))
out = []
for case in cases:
    spec, steps = case['spec'], case['steps']
    text = json.dumps(spec)
    if any(tok in text for tok in ('"inf"', '"nan"', 'Infinity', 'NaN')):
        out.append({'skip': 'non-finite'})
        continue
    try:
        # schedgpu's run-level fields: interval as noether's ScheduleWrapper takes it, updates_per_epoch ours
        if 'interval' in spec and spec['interval'] not in ('update', 'epoch'):
            raise ValueError('interval')
        if spec.get('interval') == 'epoch':
            u = spec.get('updates_per_epoch')
            if isinstance(u, bool) or not isinstance(u, (int, float)) or u != int(u) or u < 1:
                raise ValueError('updates_per_epoch')
        sched = build(spec, top=True)
    except Exception as e:
        out.append({'construct_error': type(e).__name__ + ': ' + str(e)[:200]})
        continue
    upe = spec.get('updates_per_epoch') if spec.get('interval') == 'epoch' else None
    vals = []
    err = None
    for t in range(steps):
        try:
            if upe:
                v = sched.get_value((t // upe) * upe, (steps // upe) * upe)
            else:
                v = sched.get_value(t, steps)
            vals.append(float(v) if math.isfinite(v) else repr(v))
        except Exception as e:
            err = {'at': t, 'type': type(e).__name__, 'msg': str(e)[:200]}
            break
    out.append({'values': vals, 'error': err})
json.dump(out, open(sys.argv[2], 'w'))
