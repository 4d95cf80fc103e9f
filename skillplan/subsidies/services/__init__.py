"""Every write of the subsidies app: standards, entitlements (computation), claims, payments,
contracts — one module each."""
