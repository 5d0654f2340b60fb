using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Narralytica.Analyzers;

/// <summary>
/// The SQL text of a string argument as far as the compiler knows it: constants (folded concatenations
/// included), and the literal parts of interpolations and of concatenations with values known only at run time.
/// </summary>
internal static class SqlText
{
    /// <summary>Stands for a part known only at run time, so that no table name is read across it.</summary>
    public const char Unknown = '\u0001';

    /// <summary>The known text, with <see cref="Unknown"/> in the gaps; null when nothing is known.</summary>
    public static string? Of(IOperation value)
    {
        var builder = new StringBuilder();
        Append(value, builder);
        var text = builder.ToString();
        return text.Trim(Unknown).Length > 0 ? text : null;
    }

    private static void Append(IOperation operation, StringBuilder text)
    {
        if (operation.ConstantValue is { HasValue: true, Value: string constant })
        {
            text.Append(constant);
            return;
        }
        switch (operation)
        {
            case IConversionOperation conversion:
                Append(conversion.Operand, text);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                Append(concatenation.LeftOperand, text);
                Append(concatenation.RightOperand, text);
                break;
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation literal)
                        Append(literal.Text, text);
                    else if (part is IInterpolationOperation hole)
                        Append(hole.Expression, text);
                }
                break;
            default:
                text.Append(Unknown);
                break;
        }
    }
}
