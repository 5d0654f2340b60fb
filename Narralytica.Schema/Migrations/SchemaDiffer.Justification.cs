using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The readers' justification check (<see cref="SchemaModel.CheckedJustification"/>): a schema whose lanes predate it gets
/// the open-read function replaced in place (its grants stay). Lanes created by the same migration come with it already.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffJustificationCheck()
    {
        if (!_from.Lanes || !_from.TenantContext || !_to.Lanes || !_to.TenantContext || _from.CheckedJustification || !_to.CheckedJustification)
            return;
        Emit(Phase.CreateTenantContext, CallerLanes.ReplaceOpenReadWithCheckedJustification());
        Change($"replace function {CallerLanes.OpenReadFunction}: it refuses a blank or overlong justification (over {CallerLanes.MaxJustificationLength} characters)", new SourceSpan(1, 1));
    }
}
