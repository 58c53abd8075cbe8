//! Schedules as a calendar: weekly `down` and `up` times in a time zone, with holidays, turned
//! into the hours a torn-down scope is up between two instants. Times are wall-clock times in
//! the schedule's zone, so a teardown at 19:00 stays at 19:00 across daylight saving time. A
//! time that does not exist on the day the clocks spring forward moves forward by the gap
//! (02:30 becomes 03:30), and one that happens twice when they fall back is the first of the
//! two (RFC 5545's rule, which jiff calls compatible). A holiday has no `up`: what is down stays
//! down through it. CI runners fire cron lines in UTC: [`Calendar::utc_crons`] gives one line per
//! UTC offset the zone uses, and [`Calendar::is_due`] tells a run whether the time its line fired
//! for is really a `down` or an `up` (the other offset's line is not, and a holiday's `up` is
//! not). Owns the calendar arithmetic, not where schedules are declared, run or priced.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Days of the week, Monday first, as written in a spec.
const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// A time of day on some days of the week: `Mon-Fri 19:00`, `Sat,Sun 10:00`, `daily 07:30`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    /// Monday first.
    days: [bool; 7],
    at: Time,
}

impl Weekly {
    /// Parses `DAYS HH:MM`: days are `daily`, a day (`Mon`), a range (`Mon-Fri`, which may wrap:
    /// `Fri-Mon`) or a comma-separated list of those.
    pub fn parse(spec: &str) -> Result<Weekly, String> {
        let wrong =
            |why: &str| format!("{spec:?}: {why}; write DAYS HH:MM, e.g. \"Mon-Fri 19:00\"");
        let (days, at) = spec
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(|| wrong("no time"))?;
        let at: Time = at
            .trim()
            .parse()
            .map_err(|_| wrong("the time is not HH:MM"))?;
        let mut set = [false; 7];
        for part in days.split(',') {
            let part = part.trim().to_ascii_lowercase();
            if part == "daily" {
                set = [true; 7];
                continue;
            }
            let (first, last) = part.split_once('-').unwrap_or((&part, &part));
            let (first, last) = (day_index(first), day_index(last));
            let (Some(first), Some(last)) = (first, last) else {
                return Err(wrong("days are Mon, Tue, Wed, Thu, Fri, Sat, Sun or daily"));
            };
            let mut d = first;
            loop {
                set[d] = true;
                if d == last {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        Ok(Weekly { days: set, at })
    }

    /// `minute hour * * weekdays` in the schedule's own zone (for runners that take a zone).
    pub fn local_cron(&self) -> String {
        let weekdays: Vec<i32> = (0..7)
            .filter(|&d| self.days[d as usize])
            .map(|d| (d + 1) % 7)
            .collect::<BTreeSet<i32>>()
            .into_iter()
            .collect();
        let weekdays = if weekdays.len() == 7 {
            "*".to_string()
        } else {
            ranges(&weekdays)
        };
        format!("{} {} * * {weekdays}", self.at.minute(), self.at.hour())
    }

    /// Whether it happens on `date`.
    fn on(&self, date: Date) -> bool {
        self.days[date.weekday().to_monday_zero_offset() as usize]
    }
}

fn day_index(name: &str) -> Option<usize> {
    DAYS.iter().position(|(n, _)| *n == name)
}

/// Hours between `from` and `to` that something is up, given whether it is up at `from` and the
/// downs and ups that change it, in time order (those outside the interval are ignored).
pub fn hours_up(
    up_at_from: bool,
    changes: &[(Timestamp, Event)],
    from: Timestamp,
    to: Timestamp,
) -> f64 {
    let (mut up, mut since, mut seconds) = (up_at_from, from, 0i64);
    for &(t, e) in changes.iter().filter(|(t, _)| *t > from && *t < to) {
        if up {
            seconds += t.as_second() - since.as_second();
        }
        up = e == Event::Up;
        since = t;
    }
    if up {
        seconds += to.as_second() - since.as_second();
    }
    seconds as f64 / 3600.0
}

/// `minute hour * months weekdays` in UTC for `weekly`'s local time at `offset` seconds east of
/// UTC. The UTC time may fall on the day before or after: the weekdays move with it.
fn cron_line(weekly: &Weekly, offset: i32, months: &BTreeSet<i8>, every_month: bool) -> String {
    let local = i32::from(weekly.at.hour()) * 60 + i32::from(weekly.at.minute());
    let utc = local - offset.div_euclid(60);
    let shift = utc.div_euclid(24 * 60);
    let utc = utc.rem_euclid(24 * 60);
    // Cron counts Sunday as 0; `days` is Monday first.
    let mut weekdays: Vec<i32> = (0..7)
        .filter(|&d| weekly.days[d as usize])
        .map(|d| (d + 1 + shift).rem_euclid(7))
        .collect();
    weekdays.sort_unstable();
    let weekdays = if weekdays.len() == 7 {
        "*".to_string()
    } else {
        ranges(&weekdays)
    };
    let months = if every_month || months.len() == 12 {
        "*".to_string()
    } else {
        ranges(&months.iter().map(|&m| i32::from(m)).collect::<Vec<_>>())
    };
    format!("{} {} * {months} {weekdays}", utc % 60, utc / 60)
}

/// Sorted numbers as cron ranges: `1,2,3,5` -> `1-3,5`.
fn ranges(numbers: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", numbers[i], numbers[j])
        } else {
            numbers[i].to_string()
        });
        i = j + 1;
    }
    parts.join(",")
}

/// When the torn-down scopes go down and come back up.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub zone: TimeZone,
    pub down: Weekly,
    pub up: Weekly,
    /// Dates (in the zone) on which nothing comes up.
    pub holidays: BTreeSet<Date>,
}

/// A change of state at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// Ordered first: a down and an up at the same instant leave the scopes up.
    Down,
    Up,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::Down => "down",
            Event::Up => "up",
        }
    }
}

/// A cron line in UTC for one event at one UTC offset of the zone: `minute hour * months days`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronLine {
    pub event: Event,
    pub cron: String,
    /// The zone's offset from UTC, in seconds, that the line is right for.
    pub offset_seconds: i32,
}

impl Calendar {
    /// A calendar in the IANA zone `zone` (`Europe/Berlin`).
    pub fn new(
        zone: &str,
        down: Weekly,
        up: Weekly,
        holidays: BTreeSet<Date>,
    ) -> Result<Calendar, String> {
        let zone = TimeZone::get(zone).map_err(|_| {
            format!("unknown time zone {zone:?}; use an IANA name such as Europe/Berlin")
        })?;
        Ok(Calendar {
            zone,
            down,
            up,
            holidays,
        })
    }

    /// Hours between `from` and `to` during which the torn-down scopes are up. Before the first
    /// event of the week leading up to `from`, they are taken as up.
    pub fn up_hours(&self, from: Timestamp, to: Timestamp) -> f64 {
        let events = self.events(from, to);
        // The state at `from`: the last event at or before it.
        let up = events
            .iter()
            .take_while(|(t, _)| *t <= from)
            .last()
            .is_none_or(|(_, e)| *e == Event::Up);
        hours_up(up, &events, from, to)
    }

    /// Up-hours and all hours of a calendar month in the zone.
    pub fn month(&self, year: i16, month: i8) -> Result<(f64, f64), String> {
        let first = Date::new(year, month, 1).map_err(|e| e.to_string())?;
        let next = first.checked_add(1.month()).map_err(|e| e.to_string())?;
        let start = self.instant(first, Time::midnight());
        let end = self.instant(next, Time::midnight());
        let total = (end.as_second() - start.as_second()) as f64 / 3600.0;
        Ok((self.up_hours(start, end), total))
    }

    /// The average up-hours of the twelve months of `year`, and the months' own figures.
    pub fn year(&self, year: i16) -> Result<(f64, Vec<f64>), String> {
        let months = (1..=12)
            .map(|m| self.month(year, m).map(|(up, _)| up))
            .collect::<Result<Vec<f64>, String>>()?;
        Ok((months.iter().sum::<f64>() / 12.0, months))
    }

    /// Whether `at` is the instant of an `event` (to the minute): an `up` on a holiday is not.
    pub fn is_due(&self, event: Event, at: Timestamp) -> bool {
        let minute = |t: Timestamp| t.as_second().div_euclid(60);
        self.events(at, at)
            .iter()
            .any(|&(t, e)| e == event && minute(t) == minute(at))
    }

    /// What a CI run started by the UTC cron line `cron` at `now` should do: the event whose
    /// line it is, if the time the line fired for (its minute and hour, today or yesterday in
    /// UTC, at or before `now`) is that event; nothing otherwise (the other offset's line, a
    /// holiday's `up`, a line that is not this schedule's). Runners start late, never early.
    pub fn due_for_cron(&self, cron: &str, now: Timestamp) -> Option<Event> {
        let fields: Vec<&str> = cron.split_whitespace().collect();
        let (Some(minute), Some(hour)) = (
            fields.first().and_then(|m| m.parse::<i8>().ok()),
            fields.get(1).and_then(|h| h.parse::<i8>().ok()),
        ) else {
            return None;
        };
        let time = Time::new(hour, minute, 0, 0).ok()?;
        let today = now.to_zoned(TimeZone::UTC).date();
        let fired = [today, today.yesterday().ok()?]
            .into_iter()
            .map(|d| {
                d.to_datetime(time)
                    .to_zoned(TimeZone::UTC)
                    .ok()
                    .map(|z| z.timestamp())
            })
            .find(|t| t.is_some_and(|t| t <= now))??;
        let year = fired.to_zoned(self.zone.clone()).year();
        let lines = self.utc_crons(year).ok()?;
        lines
            .iter()
            .filter(|l| l.cron == cron.split_whitespace().collect::<Vec<_>>().join(" "))
            .map(|l| l.event)
            .find(|&e| self.is_due(e, fired))
    }

    /// The `event` due within the `window` before `now`, for runners that fire in the zone's
    /// own time (GitLab's pipeline schedules): the instant it was due, if there was one.
    pub fn due_within(
        &self,
        event: Event,
        now: Timestamp,
        window: jiff::SignedDuration,
    ) -> Option<Timestamp> {
        let since = now.checked_sub(window).ok()?;
        self.events(since, now)
            .into_iter()
            .filter(|&(t, e)| e == event && t > since && t <= now)
            .map(|(t, _)| t)
            .next_back()
    }

    /// The date in the zone of an instant.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.zone.clone()).date()
    }

    /// UTC cron lines that fire at every `down` and `up` of `year`: one line per event and UTC
    /// offset the zone has at that event's local time, limited to the months that offset is in
    /// effect. In a month where the clocks change both lines fire on some days; [`is_due`]
    /// tells the real one from the other.
    ///
    /// [`is_due`]: Calendar::is_due
    pub fn utc_crons(&self, year: i16) -> Result<Vec<CronLine>, String> {
        let mut lines = Vec::new();
        for (event, weekly) in [(Event::Down, &self.down), (Event::Up, &self.up)] {
            if !weekly.days.contains(&true) {
                continue;
            }
            // Offset -> months in which the event's local time has it.
            let mut offsets: std::collections::BTreeMap<i32, BTreeSet<i8>> = Default::default();
            let mut day = Date::new(year, 1, 1).map_err(|e| e.to_string())?;
            while day.year() == year {
                let at = self.instant(day, weekly.at);
                let offset = self.zone.to_offset(at).seconds();
                offsets.entry(offset).or_default().insert(day.month());
                day = day.tomorrow().map_err(|e| e.to_string())?;
            }
            let every_month = offsets.len() == 1;
            for (offset, months) in offsets {
                lines.push(CronLine {
                    event,
                    cron: cron_line(weekly, offset, &months, every_month),
                    offset_seconds: offset,
                });
            }
        }
        Ok(lines)
    }

    /// Every down and up between a week before `from` and the day after `to`, in order.
    fn events(&self, from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Event)> {
        let date = |t: Timestamp| t.to_zoned(self.zone.clone()).date();
        let mut day = date(from).checked_sub(7.days()).unwrap_or(date(from));
        let last = date(to).checked_add(1.day()).unwrap_or(date(to));
        let mut events = Vec::new();
        while day <= last {
            if self.down.on(day) {
                events.push((self.instant(day, self.down.at), Event::Down));
            }
            if self.up.on(day) && !self.holidays.contains(&day) {
                events.push((self.instant(day, self.up.at), Event::Up));
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        events.sort();
        events
    }

    /// The instant of a wall-clock time on a date in the zone (compatible disambiguation).
    fn instant(&self, date: Date, time: Time) -> Timestamp {
        self.zone
            .to_ambiguous_timestamp(date.to_datetime(time))
            .compatible()
            .expect("a date-time in range has an instant")
    }
}

#[cfg(test)]
mod tests {
    //! Up-hours from the calendar: weekdays, holidays, and months with a DST change.

    use super::*;

    fn berlin(down: &str, up: &str, holidays: &[&str]) -> Calendar {
        let holidays = holidays.iter().map(|d| d.parse().unwrap()).collect();
        Calendar::new(
            "Europe/Berlin",
            Weekly::parse(down).unwrap(),
            Weekly::parse(up).unwrap(),
            holidays,
        )
        .unwrap()
    }

    #[test]
    fn weekday_nights_in_the_month_the_clocks_spring_forward() {
        // March 2027 in Berlin: 23 weekdays, clocks forward on Sunday the 28th (743 hours).
        let nights = berlin("Mon-Fri 19:00", "Mon-Fri 07:30", &[]);
        let (up, total) = nights.month(2027, 3).unwrap();
        assert_eq!(total, 743.0);
        assert_eq!(
            up,
            23.0 * 11.5,
            "the weekend spans the change, not an up window"
        );
        // A Wednesday holiday keeps it down from Tuesday evening to Thursday morning.
        let with_holiday = berlin("Mon-Fri 19:00", "Mon-Fri 07:30", &["2027-03-10"]);
        assert_eq!(with_holiday.month(2027, 3).unwrap().0, 22.0 * 11.5);
    }

    #[test]
    fn a_nightly_window_across_the_change_is_an_hour_shorter_or_longer() {
        // Down 01:00 to 05:00 every night: on the night of the change the window holds 3 real
        // hours in spring (02:00 does not happen) and 5 in autumn (02:00 happens twice).
        let short_nights = berlin("daily 01:00", "daily 05:00", &[]);
        let (up, total) = short_nights.month(2027, 3).unwrap();
        assert_eq!((up, total), (743.0 - (30.0 * 4.0 + 3.0), 743.0));
        let (up, total) = short_nights.month(2027, 10).unwrap();
        assert_eq!((up, total), (745.0 - (30.0 * 4.0 + 5.0), 745.0));
    }

    #[test]
    fn a_time_the_clocks_skip_happens_after_the_gap() {
        // Up at 02:30 every day: on 2027-03-28 that is 03:30 CEST, one hour after 01:30 UTC.
        let cal = berlin("daily 00:00", "daily 02:30", &[]);
        let day = |d: &str, h: i8, m: i8| {
            let date: Date = d.parse().unwrap();
            cal.instant(date, Time::new(h, m, 0, 0).unwrap())
        };
        let up_at = day("2027-03-28", 2, 30);
        assert_eq!(up_at.to_string(), "2027-03-28T01:30:00Z");
        // Midnight to midnight that day: down 00:00 to 03:30 CEST, 2.5 real hours, of 23.
        let (start, end) = (day("2027-03-28", 0, 0), day("2027-03-29", 0, 0));
        assert_eq!(cal.up_hours(start, end), 23.0 - 2.5);
    }

    #[test]
    fn specs_name_days_ranges_and_lists() {
        let w = Weekly::parse("Fri-Mon 18:30").unwrap();
        assert_eq!(w.days, [true, false, false, false, true, true, true]);
        assert_eq!(w.at, Time::new(18, 30, 0, 0).unwrap());
        let w = Weekly::parse("Mon,Wed 08:00").unwrap();
        assert_eq!(w.days, [true, false, true, false, false, false, false]);
        assert!(Weekly::parse("Mon-Fri").unwrap_err().contains("no time"));
        assert!(Weekly::parse("Someday 08:00")
            .unwrap_err()
            .contains("days are"));
        assert!(Weekly::parse("Mon 25:00").unwrap_err().contains("HH:MM"));
        assert!(Calendar::new("Mars/Olympus", w.clone(), w, BTreeSet::new())
            .unwrap_err()
            .contains("unknown time zone"));
    }

    #[test]
    fn always_up_without_a_down_and_always_down_without_an_up() {
        let never_down = Calendar::new(
            "UTC",
            Weekly {
                days: [false; 7],
                at: Time::midnight(),
            },
            Weekly::parse("daily 07:00").unwrap(),
            BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(never_down.month(2027, 2).unwrap(), (672.0, 672.0));
        let never_up = Calendar::new(
            "UTC",
            Weekly::parse("daily 00:00").unwrap(),
            Weekly {
                days: [false; 7],
                at: Time::midnight(),
            },
            BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(never_up.month(2027, 2).unwrap().0, 0.0);
    }

    /// Numbers a cron field lists (`*` is every number from `lo` to `hi`).
    fn field(spec: &str, lo: i32, hi: i32) -> Vec<i32> {
        if spec == "*" {
            return (lo..=hi).collect();
        }
        spec.split(',')
            .flat_map(|part| match part.split_once('-') {
                Some((a, b)) => (a.parse().unwrap()..=b.parse().unwrap()).collect::<Vec<i32>>(),
                None => vec![part.parse().unwrap()],
            })
            .collect()
    }

    /// What a CI runner does with the lines over the days from `first` to `last`: every line
    /// whose month and weekday match fires at its UTC time, and runs what `is_due` allows.
    fn simulate(
        cal: &Calendar,
        lines: &[CronLine],
        first: &str,
        last: &str,
    ) -> Vec<(Timestamp, Event)> {
        let (mut day, last): (Date, Date) = (first.parse().unwrap(), last.parse().unwrap());
        let mut ran = Vec::new();
        while day <= last {
            for line in lines {
                let f: Vec<&str> = line.cron.split(' ').collect();
                let weekday = day.weekday().to_sunday_zero_offset() as i32;
                if field(f[3], 1, 12).contains(&(day.month() as i32))
                    && field(f[4], 0, 6).contains(&weekday)
                {
                    let (minute, hour): (i8, i8) = (f[0].parse().unwrap(), f[1].parse().unwrap());
                    let at = TimeZone::UTC
                        .to_ambiguous_timestamp(
                            day.to_datetime(Time::new(hour, minute, 0, 0).unwrap()),
                        )
                        .compatible()
                        .unwrap();
                    if cal.is_due(line.event, at) {
                        ran.push((at, line.event));
                    }
                }
            }
            day = day.tomorrow().unwrap();
        }
        ran.sort();
        ran
    }

    /// Up-hours from what actually ran, starting in the state the calendar has at `from`.
    fn hours_from_runs(
        cal: &Calendar,
        ran: &[(Timestamp, Event)],
        from: Timestamp,
        to: Timestamp,
    ) -> f64 {
        let start_up = cal.up_hours(from, from.checked_add(1.second()).unwrap()) > 0.0;
        hours_up(start_up, ran, from, to)
    }

    #[test]
    fn utc_cron_lines_follow_the_offsets_and_cross_midnight() {
        let nights = berlin("Mon-Fri 19:00", "Mon-Fri 07:30", &[]);
        let lines: Vec<(Event, String)> = nights
            .utc_crons(2027)
            .unwrap()
            .into_iter()
            .map(|l| (l.event, l.cron))
            .collect();
        assert_eq!(
            lines,
            vec![
                (Event::Down, "0 18 * 1-3,10-12 1-5".to_string()),
                (Event::Down, "0 17 * 3-10 1-5".to_string()),
                (Event::Up, "30 6 * 1-3,10-12 1-5".to_string()),
                (Event::Up, "30 5 * 3-10 1-5".to_string()),
            ]
        );
        // 00:30 in Berlin is the evening before in UTC: Monday's run is Sunday's line.
        let early = berlin("Mon-Fri 00:30", "Mon-Fri 06:00", &[]);
        assert_eq!(early.utc_crons(2027).unwrap()[1].cron, "30 22 * 3-10 0-4");
        // A zone without daylight saving time has one line per event, every month.
        let tokyo = Calendar::new(
            "Asia/Tokyo",
            Weekly::parse("daily 20:00").unwrap(),
            Weekly::parse("daily 08:00").unwrap(),
            BTreeSet::new(),
        )
        .unwrap();
        let crons: Vec<String> = tokyo
            .utc_crons(2027)
            .unwrap()
            .into_iter()
            .map(|l| l.cron)
            .collect();
        assert_eq!(crons, vec!["0 11 * * *", "0 23 * * *"]);
    }

    #[test]
    fn a_simulated_runner_over_months_with_a_clock_change_matches_the_calendar() {
        // Every cron line fires in UTC; only the due ones run. What ran must be exactly the
        // calendar's events, and the up-hours the same as the calendar computes.
        for (zone, month) in [
            ("Europe/Berlin", 3),
            ("Europe/Berlin", 10),
            ("America/New_York", 3),
            ("America/New_York", 11),
        ] {
            let cal = Calendar::new(
                zone,
                Weekly::parse("Mon-Fri 19:00").unwrap(),
                Weekly::parse("Mon-Fri 02:30").unwrap(),
                ["2027-03-10".parse().unwrap()].into_iter().collect(),
            )
            .unwrap();
            let lines = cal.utc_crons(2027).unwrap();
            let first = format!("2027-{month:02}-01");
            // UTC days from the one before the month to the one after: local evenings west of
            // UTC run on the next UTC day.
            let (before, after) = (
                format!("2027-{:02}-28", month - 1),
                format!("2027-{:02}-01", month + 1),
            );
            let start = cal.instant(first.parse().unwrap(), Time::midnight());
            let end = cal.instant(after.parse().unwrap(), Time::midnight());
            let ran: Vec<(Timestamp, Event)> = simulate(&cal, &lines, &before, &after)
                .into_iter()
                .filter(|(t, _)| *t >= start && *t < end)
                .collect();
            let expected: Vec<(Timestamp, Event)> = cal
                .events(start, end)
                .into_iter()
                .filter(|(t, _)| *t >= start && *t < end)
                .collect();
            assert_eq!(ran, expected, "{zone} 2027-{month}");
            let (up, _) = cal.month(2027, month).unwrap();
            assert_eq!(
                hours_from_runs(&cal, &ran, start, end),
                up,
                "{zone} 2027-{month}"
            );
        }
    }

    #[test]
    fn a_late_run_finds_the_time_its_line_fired_for() {
        let cal = berlin("Mon-Fri 19:00", "Mon-Fri 07:30", &["2027-03-10"]);
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // Winter line at 18:00 UTC, run 40 minutes late: the 19:00 CET down.
        let winter = "0 18 * 1-3,10-12 1-5";
        assert_eq!(
            cal.due_for_cron(winter, at("2027-03-01T18:40:00Z")),
            Some(Event::Down)
        );
        // The same line after the change (19:00 UTC is 20:00 CEST): nothing.
        assert_eq!(cal.due_for_cron(winter, at("2027-03-29T18:05:00Z")), None);
        // The summer line fired at 17:00 UTC and ran just after midnight UTC: still that down.
        let summer = "0 17 * 3-10 1-5";
        assert_eq!(
            cal.due_for_cron(summer, at("2027-03-30T00:10:00Z")),
            Some(Event::Down)
        );
        // A holiday's up line: nothing; a line of another schedule: nothing.
        assert_eq!(
            cal.due_for_cron("30 6 * 1-3,10-12 1-5", at("2027-03-10T06:45:00Z")),
            None
        );
        assert_eq!(
            cal.due_for_cron("30 6 * 1-3,10-12 1-5", at("2027-03-11T06:45:00Z")),
            Some(Event::Up)
        );
        assert_eq!(
            cal.due_for_cron("0 3 * * *", at("2027-03-11T03:00:00Z")),
            None
        );
        assert_eq!(
            cal.due_for_cron("nonsense", at("2027-03-11T03:00:00Z")),
            None
        );
        // In the zone's own time: the down 20 minutes ago is due within half an hour.
        let window = jiff::SignedDuration::from_mins(30);
        assert_eq!(
            cal.due_within(Event::Down, at("2027-03-01T18:20:00Z"), window),
            Some(at("2027-03-01T18:00:00Z"))
        );
        assert_eq!(
            cal.due_within(Event::Down, at("2027-03-01T18:40:00Z"), window),
            None
        );
        assert_eq!(
            cal.due_within(Event::Up, at("2027-03-10T06:40:00Z"), window),
            None,
            "holiday"
        );
        assert_eq!(
            Weekly::parse("Mon-Fri 19:05").unwrap().local_cron(),
            "5 19 * * 1-5"
        );
        assert_eq!(
            Weekly::parse("Sun,Sat 07:00").unwrap().local_cron(),
            "0 7 * * 0,6"
        );
        assert_eq!(
            Weekly::parse("daily 07:00").unwrap().local_cron(),
            "0 7 * * *"
        );
    }

    #[test]
    fn the_other_offsets_line_and_a_holidays_up_are_not_due() {
        let cal = berlin("Mon-Fri 19:00", "Mon-Fri 07:30", &["2027-03-10"]);
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // Monday 2027-03-29 is summer time: 17:00 UTC is 19:00 local, 18:00 UTC is not.
        assert!(cal.is_due(Event::Down, at("2027-03-29T17:00:00Z")));
        assert!(!cal.is_due(Event::Down, at("2027-03-29T18:00:00Z")));
        assert!(!cal.is_due(Event::Up, at("2027-03-29T17:00:00Z")));
        // Wednesday 2027-03-10 is a holiday: no up at 07:30 CET; the down still happens.
        assert!(!cal.is_due(Event::Up, at("2027-03-10T06:30:00Z")));
        assert!(cal.is_due(Event::Up, at("2027-03-11T06:30:00Z")));
        assert!(cal.is_due(Event::Down, at("2027-03-10T18:00:00Z")));
        // The yearly average is the mean of the months.
        let (avg, months) = cal.year(2027).unwrap();
        assert_eq!(months.len(), 12);
        assert!((avg - months.iter().sum::<f64>() / 12.0).abs() < 1e-9);
    }
}
