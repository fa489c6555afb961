//! Property tests: every scheme's order is antisymmetric and transitive on generated versions.

use std::cmp::Ordering;

use palisade_vuln::VersionScheme;
use proptest::prelude::*;

fn check_order(scheme: VersionScheme, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    let parsed: Vec<_> = [a, b, c]
        .iter()
        .filter_map(|s| scheme.parse(s).ok())
        .collect();
    for x in &parsed {
        prop_assert_eq!(x.compare(x), Some(Ordering::Equal));
        for y in &parsed {
            let xy = x.compare(y).unwrap();
            let yx = y.compare(x).unwrap();
            prop_assert_eq!(xy, yx.reverse(), "antisymmetry {:?} {:?}", x, y);
            for z in &parsed {
                let yz = y.compare(z).unwrap();
                let xz = x.compare(z).unwrap();
                if xy != Ordering::Greater && yz != Ordering::Greater {
                    prop_assert_ne!(
                        xz,
                        Ordering::Greater,
                        "transitivity {:?} {:?} {:?}",
                        x,
                        y,
                        z
                    );
                }
                if xy == Ordering::Equal && yz == Ordering::Equal {
                    prop_assert_eq!(xz, Ordering::Equal, "equality {:?} {:?} {:?}", x, y, z);
                }
            }
        }
    }
    Ok(())
}

macro_rules! order_props {
    ($name:ident, $scheme:expr, $re:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            #[test]
            fn $name(a in $re, b in $re, c in $re) {
                check_order($scheme, &a, &b, &c)?;
            }
        }
    };
}

order_props!(
    semver,
    VersionScheme::SemVer,
    r"v?[0-2]{1,2}(\.[0-2]{1,2}){0,2}(-[0-9A-Za-z]{1,2}(\.[0-9a-z-]{1,2}){0,2})?(\+[0-9a-z]{1,2})?"
);
order_props!(
    go,
    VersionScheme::Go,
    r"(v[0-1]\.[0-2]\.[0-2](-(0\.)?2020010[0-9]000000-[0-9a-f]{12}|-rc\.[0-2])?(\+incompatible)?|go1\.2[01](\.[0-2]|rc[12])?)"
);
order_props!(
    pep440,
    VersionScheme::Pep440,
    r"(([0-1]!)?[0-2]{1,2}(\.[0-2]){0,3}((a|b|rc|alpha|beta|c|pre|preview)[0-2]{0,1})?(\.post[0-2]?|-[0-2])?(\.dev[0-2]?)?(\+[a-z0-9]{1,2}(\.[a-z0-9]{1,2}){0,2})?|[0-9a-z.-]{1,6})"
);
order_props!(
    maven,
    VersionScheme::Maven,
    r"[0-2a-c]{1,3}([.-]([0-2]{0,2}|alpha|beta|rc|cr|snapshot|ga|final|sp|m|x)){0,5}"
);
order_props!(
    rubygems,
    VersionScheme::RubyGems,
    r"[0-2]{1,2}(\.[0-2a-c]{1,2}){0,4}(-[0-2a-c]{1,2})?"
);
order_props!(
    nuget,
    VersionScheme::NuGet,
    r"[0-2]{1,2}(\.[0-2]{1,2}){0,3}(-[0-2A-Ca-c]{1,3}(\.[0-2A-Ca-c]{1,2}){0,2})?(\+[a-z]{1,2})?"
);
// `#` is left out on purpose: PHP's `version_compare` treats it as equal to every number, and
// the Packagist vectors require exactly that (`1.2.3.# = 1.2.3` and `1.2.3.# = 1.2.3.1` while
// `1.2.3 < 1.2.3.1`), which no transitive order can satisfy.
order_props!(
    packagist,
    VersionScheme::Packagist,
    r"(v?[0-2]{1,2}(\.[0-2]{1,2}){0,3}([-_.]?(dev|alpha|a|beta|b|RC|rc|patch|pl|p|foo)[0-2]{0,2}){0,2}|dev-[a-z]{1,4})"
);
order_props!(
    debian,
    VersionScheme::Debian,
    r"([0-2]:)?[0-2][0-2a-c.+~]{0,6}(-[0-2a-c.+~]{1,4})?"
);
order_props!(
    alpine,
    VersionScheme::Alpine,
    r"([0-2]{1,2}(\.[0-2]{1,2}){0,3}[a-c]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p|foo)[0-2]{0,2}){0,2}(~[0-9a-f]{1,3})?(-r[0-2]{0,2})?|[0-2a-c._~-]{1,6})"
);
order_props!(
    rpm,
    VersionScheme::Rpm,
    r"([0-2]:)?[0-2a-c.~^_+]{1,8}(-[0-2a-c.~^_]{1,5})?"
);
order_props!(
    pub_semver,
    VersionScheme::Pub,
    r"v?[0-2]{1,2}(\.[0-2]{1,2}){0,2}(-[0-2a-c]{1,2}(\.[0-2a-c]{1,2}){0,2})?(\+[0-2a-c]{1,2}(\.[0-2a-c]{1,2})?)?"
);
order_props!(
    hackage,
    VersionScheme::Hackage,
    r"[0-2]{1,2}(\.[0-2]{1,2}){0,4}"
);
order_props!(
    cran,
    VersionScheme::Cran,
    r"[0-2]{1,2}([.-][0-2]{1,2}){0,4}"
);

proptest! {
    #[test]
    fn parsing_never_panics(s in "\\PC{0,24}") {
        for scheme in VersionScheme::ALL {
            let _ = scheme.parse(&s);
        }
    }
}
