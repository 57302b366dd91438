#!/usr/bin/env bash
# Installs the makers' tools the oracle tests judge Brickguard's fixes with (README, "Tests"):
#   - the Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64, a self-contained binary), restored with
#     `dotnet restore` of a throwaway project and copied to .oracles/bicep/bicep;
#   - the azurerm and databricks Terraform provider schemas, read from the pinned npm packages
#     @cdktf/provider-azurerm (azurerm 4.x, 3.x for modules pinned to it, and the releases around
#     the versions fixes are gated on) and @cdktf/provider-databricks, reduced to
#     .oracles/terraform/*.json (attribute and block names per resource type).
# Nothing here is a dependency of the extension. Idempotent and offline-friendly: what is already in
# .oracles/ (or in the npm and NuGet caches) is reused.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BICEP_VERSION="0.49.2"
AZURERM_PKG="@cdktf/provider-azurerm@14.23.1"      # hashicorp/azurerm 4.55.0
AZURERM3_PKG="@cdktf/provider-azurerm@12.27.0"     # hashicorp/azurerm 3.116.0, for modules pinned to 3.x
DATABRICKS_PKG="@cdktf/provider-databricks@15.16.1" # databricks/databricks 1.99.0
# The azurerm releases on both sides of the versions the fixes are gated on (AZURERM_SINCE in
# server/src/rules/support/encryption.ts): 3.40.0 / 3.41.0 and 3.70.0 / 3.71.0.
AZURERM_BOUNDARY_PKGS=(
  "@cdktf/provider-azurerm@5.0.1:azurerm-3.40.0"
  "@cdktf/provider-azurerm@5.0.2:azurerm-3.41.0"
  "@cdktf/provider-azurerm@10.0.0:azurerm-3.70.0"
  "@cdktf/provider-azurerm@10.0.1:azurerm-3.71.0"
)
OR="$ROOT/.oracles"
BICEP="$OR/bicep/bicep"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- Bicep CLI -----------------------------------------------------------------------------------
if [ -x "$BICEP" ] && "$BICEP" --version 2>/dev/null | grep -q "version $BICEP_VERSION "; then
  echo "oracles-setup: Bicep CLI $BICEP_VERSION already in $OR/bicep"
else
  command -v dotnet >/dev/null 2>&1 || { echo "oracles-setup: dotnet not found; cannot restore the Bicep CLI" >&2; exit 1; }
  proj="$OR/restore"
  mkdir -p "$proj" "$OR/bicep"
  cat > "$proj/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" /></ItemGroup>
</Project>
XML
  echo "oracles-setup: dotnet restore Azure.Bicep.CommandLine.linux-x64 $BICEP_VERSION"
  dotnet restore "$proj/restore.csproj" --packages "$OR/nuget" --verbosity quiet
  cp "$OR/nuget/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep" "$BICEP.tmp"
  chmod +x "$BICEP.tmp"
  mv "$BICEP.tmp" "$BICEP"
  rm -rf "$proj" "$OR/nuget"
fi
"$BICEP" --version

# --- Terraform provider schemas ------------------------------------------------------------------
TF="$OR/terraform"
mkdir -p "$TF"
schema() { # <package@version> <output name>
  local pkg="$1" out="$TF/$2.json"
  if [ -f "$out" ] && grep -q "\"package\": \"$pkg\"" "$out" && grep -q '"schemaFormat": 2' "$out"; then
    echo "oracles-setup: $2 schema from $pkg already in $TF"
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  echo "oracles-setup: npm pack $pkg"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null && mkdir x && tar -xzf ./*.tgz -C x)
  node "$ROOT/scripts/oracles-tf-schema.mjs" "$tmp/x/package" "$pkg" > "$out.tmp"
  mv "$out.tmp" "$out"
  rm -rf "$tmp"
}
schema "$AZURERM_PKG" azurerm
schema "$AZURERM3_PKG" azurerm3
schema "$DATABRICKS_PKG" databricks
boundary=()
for entry in "${AZURERM_BOUNDARY_PKGS[@]}"; do
  schema "${entry%%:*}" "${entry##*:}"
  boundary+=("$TF/${entry##*:}.json")
done
node -e 'for (const f of process.argv.slice(1)) { const s = require(f); console.log(`oracles-setup: ${s.provider} ${s.providerVersion}: ${Object.keys(s.resources).length} resource types`); }' "$TF/azurerm.json" "$TF/azurerm3.json" "$TF/databricks.json" "${boundary[@]}"
echo "oracles-setup: done"
