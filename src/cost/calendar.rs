//! Schedules as a calendar: weekly `down` and `up` times in a time zone, with holidays, turned
//! into the hours a torn-down scope is up between two instants. Times are wall-clock times in
//! the schedule's zone, so a teardown at 19:00 stays at 19:00 across daylight saving time. A
//! time that does not exist on the day the clocks spring forward moves forward by the gap
//! (02:30 becomes 03:30), and one that happens twice when they fall back is the first of the
//! two (RFC 5545's rule, which jiff calls compatible). A holiday has no `up`: what is down stays
//! down through it. Owns the calendar arithmetic, not where schedules are declared or priced.

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

    /// Whether it happens on `date`.
    fn on(&self, date: Date) -> bool {
        self.days[date.weekday().to_monday_zero_offset() as usize]
    }
}

fn day_index(name: &str) -> Option<usize> {
    DAYS.iter().position(|(n, _)| *n == name)
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// Ordered first: a down and an up at the same instant leave the scopes up.
    Down,
    Up,
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
        let mut up = events
            .iter()
            .take_while(|(t, _)| *t <= from)
            .last()
            .is_none_or(|(_, e)| *e == Event::Up);
        let mut since = from;
        let mut seconds = 0i64;
        for &(t, e) in events.iter().filter(|(t, _)| *t > from && *t < to) {
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

    /// Up-hours and all hours of a calendar month in the zone.
    pub fn month(&self, year: i16, month: i8) -> Result<(f64, f64), String> {
        let first = Date::new(year, month, 1).map_err(|e| e.to_string())?;
        let next = first.checked_add(1.month()).map_err(|e| e.to_string())?;
        let start = self.instant(first, Time::midnight());
        let end = self.instant(next, Time::midnight());
        let total = (end.as_second() - start.as_second()) as f64 / 3600.0;
        Ok((self.up_hours(start, end), total))
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
}
