//! Splitting figures that ran together (`713000074`) back into cells — only when exactly one split
//! is possible.
//!
//! The digits are cut into `parts` numbers. A space in the input is a boundary that must be kept
//! (crawlers keep some). Numbers have no leading zero (except `0` itself). Each group of the row
//! ends with its total: the last number of a group equals the sum of the others (表三: the six
//! applicant columns add up to 总计; 表四: four results add up to 总计). Any other reading would be
//! a guess.

/// How many digits one figure may have (fits in u64 with room for sums).
const MAX_DIGITS: usize = 15;
/// Inputs longer than this are not searched (no real row has so many digits).
const MAX_INPUT: usize = 96;
/// Numbers tried before the search gives up: the search is exponential in the digits a row may
/// hold (a row of 56 random digits ran for seconds, a page of them for minutes). A real row is
/// decided in a few hundred steps; past this many the row is not read, as an ambiguous one is
/// not (its checks are not assessable).
const MAX_STEPS: usize = 20_000;

/// The outcome of a split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitOutcome {
    /// Exactly one split: the byte ranges of each figure within the input.
    Unique(Vec<(usize, usize)>),
    /// No split, or more than one.
    Ambiguous,
}

/// Splits `text` (ASCII digits and spaces) into `groups.iter().sum()` figures, each group of
/// `groups[i]` figures ending with its total. A group size of 1 carries no arithmetic.
pub fn split(text: &str, groups: &[usize]) -> SplitOutcome {
    let parts: usize = groups.iter().sum();
    if text.len() > MAX_INPUT
        || parts == 0
        || !text.bytes().all(|b| b.is_ascii_digit() || b == b' ')
    {
        return SplitOutcome::Ambiguous;
    }
    // Digits, and for each the byte offset in `text`; a space forces a boundary before the next digit.
    let mut digits = Vec::new();
    let mut offsets = Vec::new();
    let mut forced = vec![false];
    for (offset, byte) in text.bytes().enumerate() {
        if byte == b' ' {
            if let Some(last) = forced.last_mut()
                && !digits.is_empty()
            {
                *last = true;
            }
        } else {
            digits.push(byte - b'0');
            offsets.push(offset);
            forced.push(false);
        }
    }
    if digits.len() < parts {
        return SplitOutcome::Ambiguous;
    }
    // forced[i] is true when a boundary must fall before digit i.
    let mut search = Search {
        digits: &digits,
        forced: &forced,
        groups,
        current: Vec::with_capacity(parts),
        found: None,
        count: 0,
        steps: 0,
    };
    search.run(0, 0, 0, 0);
    match (search.count, search.found) {
        (1, Some(cuts)) if search.steps <= MAX_STEPS => SplitOutcome::Unique(
            cuts.into_iter()
                .map(|(start, end)| (offsets[start], offsets[end - 1] + 1))
                .collect(),
        ),
        _ => SplitOutcome::Ambiguous,
    }
}

struct Search<'a> {
    digits: &'a [u8],
    forced: &'a [bool],
    groups: &'a [usize],
    current: Vec<(usize, usize)>,
    found: Option<Vec<(usize, usize)>>,
    count: usize,
    /// Numbers tried so far (see [`MAX_STEPS`]).
    steps: usize,
}

impl Search<'_> {
    /// Chooses the number starting at digit `at`, the `part`-th of group `group`, whose earlier
    /// numbers sum to `sum`.
    fn run(&mut self, at: usize, group: usize, part: usize, sum: u64) {
        self.steps += 1;
        if self.count > 1 || self.steps > MAX_STEPS {
            return;
        }
        let Some(&size) = self.groups.get(group) else {
            if at == self.digits.len() {
                self.count += 1;
                self.found = Some(self.current.clone());
            }
            return;
        };
        let remaining_parts: usize = self.groups[group..].iter().sum::<usize>() - part;
        let remaining_digits = self.digits.len() - at;
        if remaining_digits < remaining_parts || remaining_digits > remaining_parts * MAX_DIGITS {
            return;
        }
        let is_total = size > 1 && part == size - 1;
        let longest = if self.digits[at] == 0 {
            1
        } else {
            MAX_DIGITS.min(remaining_digits)
        };
        for len in 1..=longest {
            let end = at + len;
            // A kept space inside the number: stop, longer numbers would contain it too.
            if len > 1 && self.forced[end - 1] {
                break;
            }
            let value = self.digits[at..end]
                .iter()
                .fold(0u64, |v, d| v * 10 + u64::from(*d));
            if is_total && value != sum {
                continue;
            }
            self.current.push((at, end));
            let (next_group, next_part, next_sum) = if part + 1 == size {
                (group + 1, 0, 0)
            } else {
                (group, part + 1, sum + value)
            };
            self.run(end, next_group, next_part, next_sum);
            self.current.pop();
            if self.count > 1 {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, groups: &[usize]) -> Option<Vec<String>> {
        match split(text, groups) {
            SplitOutcome::Unique(cuts) => {
                Some(cuts.iter().map(|&(a, b)| text[a..b].to_owned()).collect())
            }
            SplitOutcome::Ambiguous => None,
        }
    }

    #[test]
    fn a_row_of_table_three_splits_where_its_total_allows_one_reading() {
        assert_eq!(
            values("713000074", &[7]).unwrap(),
            ["71", "3", "0", "0", "0", "0", "74"]
        );
        assert_eq!(values("0000000", &[7]).unwrap(), ["0"; 7]);
        assert_eq!(
            values("230 000023", &[7]).unwrap(),
            ["23", "0", "0", "0", "0", "0", "23"]
        );
        assert_eq!(
            values("23 0 00 0 023", &[7]).unwrap(),
            ["23", "0", "0", "0", "0", "0", "23"]
        );
    }

    #[test]
    fn two_readings_are_no_reading() {
        // 2|20|0|0|0|3|25 and 22|0|0|0|0|3|25 both add up: the row stays unreadable.
        assert_eq!(values("220000325", &[7]), None);
    }

    #[test]
    fn kept_spaces_are_boundaries() {
        // "500000 5": 5|0|0|0|0|0|5, and the space keeps the last 5 apart.
        assert_eq!(
            values("500000 5", &[7]).unwrap(),
            ["5", "0", "0", "0", "0", "0", "5"]
        );
        assert_eq!(values("1 0 1", &[3]).unwrap(), ["1", "0", "1"]);
    }

    #[test]
    fn more_than_one_reading_is_not_a_split() {
        // 1|1|2 and 11|... : with total 2 only "1 1 2"; but "1012" could be 1|0|1|... ambiguous.
        assert_eq!(values("1111111112", &[7]), None);
        assert_eq!(values("12", &[7]), None);
        assert_eq!(values("", &[7]), None);
    }

    #[test]
    fn table_four_splits_by_its_three_groups() {
        let groups = [5, 5, 5];
        assert_eq!(
            values("10203120001200000", &groups).unwrap(),
            [
                "1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"
            ]
        );
        assert_eq!(values("000000000000000", &groups).unwrap(), ["0"; 15]);
    }

    #[test]
    fn the_search_is_bounded() {
        // 56 digits in 7 numbers, none zero: very many readings to try; the search gives up.
        let digits = "12345678912345678912345678912345678912345678912345678912";
        let started = std::time::Instant::now();
        assert_eq!(values(digits, &[7]), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn groups_of_one_carry_no_arithmetic() {
        assert_eq!(values("000", &[1, 1, 1]).unwrap(), ["0", "0", "0"]);
        assert_eq!(values("8855698", &[1, 1, 1]), None);
    }
}
