# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from bisect import bisect_right
from datetime import timedelta

import pytz

from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        if "tz" in vals:
            self.env.registry.clear_cache()  # res.company._sm_tz_name
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # res.company._sm_tz_name
        return super().unlink()

    def _sm_plan_hours(self, hours, starts):
        """{start: the moment ``hours`` working hours after it} for each of
        ``starts`` (naive UTC datetimes, as Odoo stores them), in the
        calendar's time zone, its attendances and its leaves (global leaves,
        public holidays, of this calendar or of every calendar): what
        ``plan_hours(hours, start, compute_leaves=True)`` gives for each
        start, with the working time read once for all of them (two queries
        per look ahead, not two per start)."""
        self.ensure_one()
        todo = sorted(set(starts))
        result = {}
        if not todo or hours <= 0:
            return {start: start for start in todo}
        lo = pytz.utc.localize(todo[0])
        # two weeks past the last start, more when the week holds few hours
        span = timedelta(days=14 + 7 * int(hours // max(self.hours_per_day * 5, 1)))
        hi = pytz.utc.localize(todo[-1]) + span
        for _attempt in range(8):
            intervals = [
                (
                    start.astimezone(pytz.utc).replace(tzinfo=None),
                    stop.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for start, stop, _meta in self._work_intervals_batch(lo, hi)[False]
            ]
            stops = [stop for _start, stop in intervals]
            for moment in todo:
                left = hours
                for start, stop in intervals[bisect_right(stops, moment) :]:
                    start = max(start, moment)
                    available = (stop - start).total_seconds() / 3600
                    if left <= available:
                        result[moment] = start + timedelta(seconds=round(left * 3600))
                        break
                    left -= available
            todo = [moment for moment in todo if moment not in result]
            if not todo:
                break
            span *= 2
            hi += span
        return result

    def _sm_hours_between(self, pairs):
        """{(start, stop): working hours between them} for each of ``pairs``
        (naive UTC datetimes), in the calendar's time zone, attendances and
        leaves: what ``get_work_hours_count(start, stop)`` gives, with the
        working time read once for all of them."""
        self.ensure_one()
        pairs = [(start, stop) for start, stop in set(pairs) if start and stop]
        if not pairs:
            return {}
        lo = pytz.utc.localize(min(start for start, _stop in pairs))
        hi = pytz.utc.localize(max(stop for _start, stop in pairs))
        intervals = [
            (
                start.astimezone(pytz.utc).replace(tzinfo=None),
                stop.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for start, stop, _meta in self._work_intervals_batch(lo, hi)[False]
        ]
        stops = [stop for _start, stop in intervals]
        result = {}
        for start, stop in pairs:
            seconds = 0.0
            for begin, end in intervals[bisect_right(stops, start) :]:
                if begin >= stop:
                    break
                seconds += (min(end, stop) - max(begin, start)).total_seconds()
            result[(start, stop)] = round(max(seconds, 0.0) / 3600, 2)
        return result
