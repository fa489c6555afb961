//! Alias merging: records that name each other (directly or through shared aliases) describe one
//! vulnerability. A union-find over every ID and alias string.

use std::collections::HashMap;

#[derive(Default)]
pub(crate) struct AliasSets {
    ids: HashMap<String, usize>,
    names: Vec<String>,
    parent: Vec<usize>,
}

impl AliasSets {
    /// The node of an ID, created on first sight.
    pub(crate) fn node(&mut self, id: &str) -> usize {
        if let Some(&n) = self.ids.get(id) {
            return n;
        }
        let n = self.parent.len();
        self.parent.push(n);
        self.names.push(id.to_string());
        self.ids.insert(id.to_string(), n);
        n
    }

    pub(crate) fn find(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            // Path halving keeps the trees flat.
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    pub(crate) fn union(&mut self, a: &str, b: &str) {
        let (a, b) = (self.node(a), self.node(b));
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index becomes the root: deterministic for a given input order.
            let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[child] = root;
        }
    }

    /// Every ID with the root of its set.
    pub(crate) fn members(&mut self) -> Vec<(usize, String)> {
        (0..self.parent.len())
            .map(|n| (self.find(n), self.names[n].clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitive_merge() {
        let mut sets = AliasSets::default();
        sets.union("GHSA-1", "CVE-1");
        sets.union("PYSEC-1", "CVE-1");
        sets.union("RUSTSEC-2", "CVE-2");
        let a = sets.node("GHSA-1");
        let b = sets.node("PYSEC-1");
        let c = sets.node("RUSTSEC-2");
        assert_eq!(sets.find(a), sets.find(b));
        assert_ne!(sets.find(a), sets.find(c));
        assert_eq!(sets.members().len(), 5);
    }
}
