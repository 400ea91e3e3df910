from tests.conftest import Fund


def test_init_donation_trial_balance_verify(cli: Fund) -> None:
    assert cli("init", "--admin", "root").exit_code == 0
    assert cli("operators", "add", "alice", "--role", "finance", "--as", "root").exit_code == 0
    r = cli(
        "donations",
        "record",
        "--amount",
        "50万",
        "--donor",
        "某公司",
        "--date",
        "2019-03-01",
        "--ref",
        "D1",
        "--as",
        "alice",
    )
    assert r.exit_code == 0, r.stderr
    r = cli("--json", "ledger", "trial-balance")
    assert '"balanced": true' in r.stdout
    assert cli("ledger", "verify").exit_code == 0
