"""A link goes where its text says (issue 21, finding 12).

`[https://wiki.northwind.example/forecast](https://evil.example/login)` validated: the reader sees one
host and the browser goes to another. A link whose text reads as an address (a URL, `www.` a host,
a host and a path, an email address) or is a domain names that host, and must point to it; otherwise
it is refused with `misleading-link` at its place. Text that is not an address is any link's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from conftest import write_content
from playbook_site.content import load
from playbook_site.content.markup import check_text
from playbook_site.errors import ContentError

REFUSED = [
    "[https://wiki.northwind.example/forecast](https://evil.example/login)",
    "[http://wiki.northwind.example](https://evil.example/)",
    "[www.northwind.example](https://evil.example/)",
    "[wiki.northwind.example/forecast](https://evil.example/forecast)",
    "[wiki.northwind.example](https://evil.example)",
    "[WIKI.NORTHWIND.EXAMPLE](https://evil.example/)",
    "[wiki.northwind.example.](https://evil.example./)",
    "[**https://wiki.northwind.example**](https://evil.example/)",  # emphasis around the address
    "[see *wiki.northwind.example/x*](https://evil.example/x)",  # an address inside the words
    "[the forecast on https://wiki.northwind.example](https://evil.example/)",
    "[wiki.northwind.example](https://wiki.northwind.example.evil.example/)",  # a longer host
    "[wiki.northwind.example](https://wiki.northwind.example@evil.example/)",  # userinfo: the host is evil.example
    "[wiki.nоrthwind.example](https://wiki.northwind.example/)",  # Cyrillic о in the text
    "[wiki.northwind.example](https://wiki.xn--nrthwind-9kg.example/)",  # punycode look-alike in the target
    "[sales@northwind.example](mailto:sales@evil.example)",  # mailto text, another address
    "[mailto:sales@northwind.example](mailto:sales@evil.example)",
    "[sales@northwind.example](https://evil.example/)",  # an address that is no email
    "[https://wiki.northwind.example](mailto:sales@wiki.northwind.example)",  # a web address that writes mail
    "[`wiki.northwind.example`](https://evil.example/)",  # as code
    # Text a browser maps to an address (NFKC, as UTS-46 does): fullwidth and ideographic stops and colons.
    "[https\uff1a//wiki.northwind.example/forecast](https://evil.example/login)",
    "[wiki\uff0enorthwind\uff0eexample](https://evil.example/login)",
    "[https://wiki\u3002northwind\u3002example/forecast](https://evil.example/login)",
    "[\uff57\uff49\uff4b\uff49.northwind.example](https://evil.example/)",  # fullwidth letters
    # A domain anywhere among the words, whatever its top-level domain.
    "[open northwind.com](https://evil.example/login)",
    "[the wiki.northwind.example page](https://evil.example/login)",
    "[see the (northwind.com) site](https://evil.example/)",
    "[report,northwind.com](https://evil.example/)",
    "[northwind.bank](https://evil.example/login)",
    "[pay at northwind.bank today](https://evil.example/login)",
    "[ASP.NET guide](https://evil.example/)",  # asp.net is a domain: decided, documented
    # An address glued to other characters is still read.
    "[see:northwind.com](https://evil.example/)",
    "[x=https://wiki.northwind.example/forecast](https://evil.example/)",
    "[see:https://wiki.northwind.example](https://evil.example/)",
    "[mail:mailto:alice@northwind.example](mailto:alice@evil.example)",
    "[northwind.com+wiki](https://evil.example/)",
    "[a@b:northwind.com](https://evil.example/)",  # no email address, but a domain after the `@`
    "[wiki.northwind.example](https://wiki.northwind.example/) and [northwind.shop](https://evil.example/)",
    # Host names compared strictly: IDNA 2003 maps ß to ss and ς to σ, browsers (UTS-46) do not.
    "[https://stra\u00dfe.example/](https://strasse.example/)",
    "[https://strasse.example/](https://stra\u00dfe.example/)",
    "[https://\u03c3\u03bf\u03c2.example/](https://\u03c3\u03bf\u03c3.example/)",
    # A user name before `@` in the text or the target: refused outright.
    "[https://wiki.northwind.example@evil.example/login](https://evil.example/login)",
    "[wiki.northwind.example@evil.example/login](https://evil.example/login)",
    "[the forecast](https://wiki.northwind.example@evil.example/login)",
    "[the forecast](https://user:pass@wiki.northwind.example/)",
    "[wiki.northwind.example](https://wiki.northwind.example\\@evil.example/)",
    # A mail link whose text is one address sends to that address only.
    "[alice@northwind.example](mailto:alice@northwind.example?bcc=mallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example?CC=mallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example?to=mallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example?%62cc=mallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example,mallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example%2Cmallory@evil.example)",
    "[alice@northwind.example](mailto:alice@northwind.example?subject=Hi&bcc=mallory@evil.example)",
]

ACCEPTED = [
    "[https://wiki.northwind.example/forecast](https://wiki.northwind.example/forecast)",
    "[wiki.northwind.example](https://wiki.northwind.example/some/page)",
    "[WIKI.Northwind.example](https://wiki.northwind.EXAMPLE/)",
    "[www.northwind.example](https://northwind.example/)",  # www. or not: the same site
    "[northwind.example](https://www.northwind.example/)",
    "[wiki.northwind.example.](https://wiki.northwind.example/)",  # a sentence's full stop, or the root's dot
    "[bücher.example](https://xn--bcher-kva.example/)",  # the same host, in Unicode and in punycode
    "[https://stra\u00dfe.example/](https://stra\u00dfe.example/)",
    "[\u03c3\u03bf\u03c2.example](https://\u03c3\u03bf\u03c2.example/)",  # final sigma on both sides
    "[wiki\uff0enorthwind\uff0eexample](https://wiki.northwind.example/)",  # the same host, fullwidth
    "[open northwind.com](https://northwind.com/open)",
    "[the wiki.northwind.example page](https://wiki.northwind.example/)",
    "[README.md](https://wiki.northwind.example/README.md)",  # a file name is no domain
    "[the playbook.yml and data.csv files](https://wiki.northwind.example/)",
    "[Node.js docs](https://nodejs.org/)",
    "[see:northwind.com](https://northwind.com/)",
    "[https://evil.example/northwind.com](https://evil.example/northwind.com)",  # a path is no host
    "[alice@northwind.example](mailto:alice@northwind.example?subject=Hi&body=Hello)",
    "[write to us](mailto:alice@northwind.example?cc=bob@northwind.example)",  # words, not an address
    "[sales@northwind.example](mailto:sales@northwind.example)",
    "[Sales@Northwind.example](mailto:sales@northwind.example?subject=Hi)",
    "[the forecast](https://evil.example/)",  # words, not an address: any link
    "[Q3 forecast v2.1](https://wiki.northwind.example/)",  # a version number is no domain
    "[e.g. the wiki](https://wiki.northwind.example/)",
    "[AE](role:account-executive)",
    "[wiki.northwind.example](https://wiki.northwind.example:8443/x)",  # a port is the same host
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_link_whose_text_names_another_host_is_refused(text: str) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        check_text(text)
    assert caught.value.type == "misleading_link", caught.value.message()
    assert "hint" in (caught.value.context or {})


@pytest.mark.parametrize("text", ACCEPTED)
def test_a_link_that_goes_where_its_text_says_is_accepted(text: str) -> None:
    assert check_text(text) == text


def test_the_problem_is_located_and_says_both_hosts(tmp_path: Path) -> None:
    role = (
        "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n"
        "  - 'Updates [https://wiki.northwind.example/forecast](https://evil.example/login) weekly.'\n"
    )
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": role})
    with pytest.raises(ContentError) as caught:
        load(root)
    [problem] = caught.value.problems
    assert (problem.path.endswith("roles/sales-manager.yml"), problem.line, problem.code) == (True, 5, "misleading-link")
    assert problem.column > 0
    assert "wiki.northwind.example" in problem.message and "evil.example" in problem.message
    assert problem.hint
